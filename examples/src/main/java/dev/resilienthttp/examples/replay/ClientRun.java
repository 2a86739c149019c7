package dev.resilienthttp.examples.replay;

import eu.rekawek.toxiproxy.Proxy;
import org.apache.avro.generic.GenericRecord;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * One run: the scenario's events played, burst by burst, to a pipeline's own topics, through its own proxy, until
 * the {@link Ledger} finds every event succeeded or dead-lettered, or the bound passes. Then the pipeline is
 * closed and the topics are read to their ends for the final count.
 */
final class ClientRun {
    /** The run's hard bound: never shorter than this... */
    private static final Duration MIN_BOUND = Duration.ofSeconds(40);
    /**
     * ...nor than the scenario's quiet time plus this, plus {@link #PER_EVENT_BOUND} per event, plus the API's latency
     * twice (a first pass and a retry) per event of a partition: a sequential worker waits for each answer.
     */
    private static final Duration BOUND_MARGIN = Duration.ofSeconds(30);
    private static final Duration PER_EVENT_BOUND = Duration.ofMillis(5);
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(2);
    /**
     * The longest the player waits for a burst's first pass before it goes on regardless: a raw call whose answer
     * the NAT dropped waits until the API closes the connection (see {@link ArticleApi}). Plus the API's latency per
     * event of a partition, the time a sequential worker takes to hear every answer of its share of the burst.
     */
    private static final Duration BURST_PASS_LIMIT = Duration.ofSeconds(3);

    /** What builds a run's pipeline from its topics and the API's address behind the proxy. */
    interface PipelineFactory {
        Pipeline create(Topics topics, URI api);
    }

    private final ReplayOptions options;
    private final Scenario scenario;
    private final InProcessBroker broker;
    private final ArticleApi api;
    private final FaultyPath path;
    private final AckedProducer eventSource;
    private final Progress progress;

    ClientRun(ReplayOptions options, Scenario scenario, InProcessBroker broker, ArticleApi api, FaultyPath path,
              AckedProducer eventSource, Progress progress) {
        this.options = options;
        this.scenario = scenario;
        this.broker = broker;
        this.api = api;
        this.path = path;
        this.eventSource = eventSource;
        this.progress = progress;
    }

    RunResult run(String client, PipelineFactory factory) throws Exception {
        Topics topics = Topics.of(client);
        broker.createTopics(options.partitions(), topics.all());
        Proxy proxy = path.open("articles-api-" + client, api.port(), options.idle(), options.resetRate());
        URI apiUri = URI.create("http://" + proxy.getListen() + "/articles/");
        Map<String, String> articles = scenario.events().stream().collect(Collectors.toMap(
                ArticleEvents::identifier, ArticleEvents::articleId));
        try (Ledger ledger = new Ledger(broker.bootstrapServers(), topics, articles)) {
            Pipeline pipeline = factory.create(topics, apiUri);
            ArticleApi.Tally tally;
            AtomicReference<Instant> firstRelease = new AtomicReference<>();
            boolean settled;
            Duration elapsed;
            String failure;
            Thread player = null;
            try {
                progress.say("%s: %s", client, pipeline.description());
                pipeline.start();
                pipeline.awaitReady(broker, Duration.ofSeconds(30));
                tally = api.beginRun();
                progress.say("%s: consumers ready; playing %d bursts through the proxy at %s", client,
                        scenario.bursts().size(), proxy.getListen());
                AtomicInteger released = new AtomicInteger();
                AtomicReference<Throwable> playerFailure = new AtomicReference<>();
                player = new Thread(() -> play(pipeline, topics.source(), released, firstRelease, playerFailure),
                        "burst-player-" + client);
                long start = System.nanoTime();
                player.start();
                settled = await(client, ledger, pipeline, released, playerFailure, start);
                elapsed = Duration.ofNanos(System.nanoTime() - start);
                failure = pipeline.failure().or(() -> Optional.ofNullable(playerFailure.get()))
                        .map(Throwable::toString).orElse(null);
            } finally {
                if (player != null) {
                    player.interrupt();
                    player.join(TimeUnit.SECONDS.toMillis(10));
                }
                // Before the final count, so that nothing changes while the topics are read to their ends.
                pipeline.close();
            }
            ledger.drain(Duration.ofSeconds(10));
            Ledger.Counts counts = ledger.counts();
            Throughput throughput = firstRelease.get() == null ? new Throughput(0, Duration.ZERO)
                    : Throughput.between(firstRelease.get(), ledger.lastFirstPassDone(), ledger.firstPassesDone());
            RunResult result = new RunResult(client, pipeline.description(), counts, ledger.deadLetterKinds(),
                    ledger.errorCopies(), pipeline.failedAttempts(), tally.duplicates(), tally.requests(),
                    tally.outOfOrder(), throughput, elapsed, settled, ledger.missing(10), ledger.deadLetterSamples(),
                    ledger.errorSamples(), failure);
            progress.say("%s: %s in %.1f s: %d succeeded, %d in the error topic, %d dead-lettered, %d lost; "
                            + "%.1f events/s, %d out of order%s",
                    client, settled ? "every event accounted for" : "STOPPED at the bound",
                    elapsed.toMillis() / 1000.0, counts.succeeded(), counts.errorTopic(), counts.deadLetter(),
                    counts.lost(), throughput.eventsPerSecond(), tally.outOfOrder(),
                    failure == null ? "" : "; pipeline failed: " + failure);
            return result;
        } finally {
            proxy.delete();
        }
    }

    /** Polls the ledger until every event is accounted for, a part fails, or the bound passes. */
    private boolean await(String client, Ledger ledger, Pipeline pipeline, AtomicInteger released,
                          AtomicReference<Throwable> playerFailure, long start) {
        Duration work = scenario.quietTime().plus(BOUND_MARGIN)
                .plus(PER_EVENT_BOUND.multipliedBy(scenario.events().size()))
                .plus(options.apiLatency().multipliedBy(2L * perPartition(scenario.events().size())));
        Duration bound = work.compareTo(MIN_BOUND) > 0 ? work : MIN_BOUND;
        long deadline = start + bound.toNanos();
        long nextProgress = start + PROGRESS_EVERY.toNanos();
        while (true) {
            ledger.poll(Duration.ofMillis(100));
            if (released.get() == scenario.bursts().size() && ledger.settled()) {
                return true;
            }
            long now = System.nanoTime();
            if (now - deadline > 0 || pipeline.failure().isPresent() || playerFailure.get() != null) {
                return false;
            }
            if (now - nextProgress > 0) {
                Ledger.Counts counts = ledger.counts();
                progress.say("%s: burst %d/%d released; %d succeeded, %d in the error topic, %d dead-lettered, "
                                + "of %d", client, released.get(), scenario.bursts().size(), counts.succeeded(),
                        counts.errorTopic(), counts.deadLetter(), scenario.events().size());
                nextProgress = now + PROGRESS_EVERY.toNanos();
            }
        }
    }

    /**
     * Releases the bursts to the source topic. After each, it waits until the pipeline has made a first pass of
     * every event released so far, then keeps quiet for the burst's gap, so that the gap is quiet on the wire (but
     * for error-topic retries) whatever the machine's speed. The 429 spell starts with its burst.
     */
    private void play(Pipeline pipeline, String source, AtomicInteger released, AtomicReference<Instant> firstRelease,
                      AtomicReference<Throwable> failure) {
        try {
            List<Scenario.Burst> bursts = scenario.bursts();
            for (int i = 0; i < bursts.size(); i++) {
                Scenario.Burst burst = bursts.get(i);
                if (i == scenario.throttledBurst()) {
                    api.throttleFor(options.throttle());
                }
                List<GenericRecord> events = scenario.events().subList(burst.from(), burst.from() + burst.size());
                // In milliseconds, as the Kafka timestamps that end the throughput's span.
                firstRelease.compareAndSet(null, Instant.ofEpochMilli(System.currentTimeMillis()));
                eventSource.sendAll(source, events);
                released.incrementAndGet();
                Duration passLimit = BURST_PASS_LIMIT
                        .plus(options.apiLatency().multipliedBy(perPartition(burst.size())));
                long giveUpAt = System.nanoTime() + passLimit.toNanos();
                while (pipeline.sourceRecordsDone() < burst.from() + burst.size()
                        && System.nanoTime() - giveUpAt < 0) {
                    TimeUnit.MILLISECONDS.sleep(10);
                }
                TimeUnit.MILLISECONDS.sleep(burst.gapAfter().toMillis());
            }
        } catch (InterruptedException stopping) {
            // The run ended at its bound.
        } catch (RuntimeException e) {
            failure.set(e);
        }
    }

    /** The events of the busiest partition, if {@code events} spread evenly. */
    private long perPartition(int events) {
        return (events + options.partitions() - 1) / options.partitions();
    }
}
