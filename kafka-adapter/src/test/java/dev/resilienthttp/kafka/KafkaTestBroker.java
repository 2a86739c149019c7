package dev.resilienthttp.kafka;

import dev.resilienthttp.faults.ToxiproxyServer;
import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.network.ListenerName;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.server.common.MetadataVersion;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * One real KRaft broker (broker and controller in one node) in the test JVM, started once per surefire fork by
 * Kafka's own test kit, behind this one class so that the kit's internal API is used nowhere else
 * (research/kafka-dlq-anchors.md §5.3). Resolve it as a test parameter with {@code @ExtendWith(KafkaTestBroker.Shared.class)}.
 *
 * <p>The broker has two client listeners. {@code EXTERNAL} is direct. {@code PROXIED} is advertised at the port of a
 * Toxiproxy proxy of the test kit, so that a client bootstrapped through {@link #proxiedBootstrapServers()} reaches
 * the broker only through that proxy, and {@link #cutProxiedPath()} cuts it (the test kit's {@code down}) while every
 * other client goes on.
 *
 * <p>Public for the fleet module's tests, which get it from this module's test jar rather than a copy.
 */
@SuppressWarnings("exports")   // JUnit's types in its signatures: it is a test fixture, not this module's API
public final class KafkaTestBroker implements ExtensionContext.Store.CloseableResource {
    private static final String PROXIED = "PROXIED";
    private static final String SILENCE = "silence";

    private final ToxiproxyServer toxiproxy;
    private final Proxy proxy;
    private final KafkaClusterTestKit cluster;
    private final Admin admin;
    private final KafkaProducer<byte[], byte[]> producer;

    private KafkaTestBroker(ToxiproxyServer toxiproxy, Proxy proxy, KafkaClusterTestKit cluster) {
        this.toxiproxy = toxiproxy;
        this.proxy = proxy;
        this.cluster = cluster;
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()));
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                ProducerConfig.LINGER_MS_CONFIG, 0), new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** The JUnit extension that starts the broker at first use and stops it after the last test of the fork. */
    public static final class Shared implements ParameterResolver {
        /** Made by JUnit. */
        public Shared() {
        }

        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == KafkaTestBroker.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                    .getOrComputeIfAbsent(KafkaTestBroker.class, key -> start(), KafkaTestBroker.class);
        }
    }

    static KafkaTestBroker start() {
        ToxiproxyServer toxiproxy = ToxiproxyServer.start();
        KafkaClusterTestKit cluster = null;
        try {
            // The proxy comes first: the broker must advertise its port. Its upstream is set once the broker is up.
            Proxy proxy = toxiproxy.client().createProxy("kafka-proxied", "127.0.0.1:0", "127.0.0.1:9");
            String advertised = proxy.getListen();
            cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                    .setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1)
                    .setBrokerListenerName(ListenerName.normalised("EXTERNAL"))
                    .setBootstrapMetadataVersion(MetadataVersion.latestProduction())
                    .setBaseDirectory(Path.of("target", "kafka-" + UUID.randomUUID()))
                    .build())
                    .setConfigProp("listeners", "EXTERNAL://localhost:0," + PROXIED + "://localhost:0,"
                            + "CONTROLLER://localhost:0")
                    .setConfigProp("advertised.listeners", "EXTERNAL://localhost:0," + PROXIED + "://" + advertised)
                    .setConfigProp("listener.security.protocol.map",
                            "EXTERNAL:PLAINTEXT," + PROXIED + ":PLAINTEXT,CONTROLLER:PLAINTEXT")
                    .setConfigProp("offsets.topic.replication.factor", "1")
                    .setConfigProp("offsets.topic.num.partitions", "4")
                    .setConfigProp("transaction.state.log.replication.factor", "1")
                    .setConfigProp("transaction.state.log.min.isr", "1")
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    .setConfigProp("auto.create.topics.enable", "false")
                    .build();
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            int proxiedPort = cluster.brokers().values().iterator().next()
                    .boundPort(ListenerName.normalised(PROXIED));
            proxy.setUpstream("127.0.0.1:" + proxiedPort);
            return new KafkaTestBroker(toxiproxy, proxy, cluster);
        } catch (Exception e) {
            if (cluster != null) {
                try {
                    cluster.close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            toxiproxy.close();
            throw new IllegalStateException("the test broker did not start", e);
        }
    }

    /** The direct listener. */
    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    /** The listener reached only through the proxy. */
    public String proxiedBootstrapServers() {
        return proxy.getListen();
    }

    /** The test kit's {@code down}: the proxy closes its listener and every connection through it. */
    public void cutProxiedPath() throws IOException {
        proxy.disable();
    }

    public void restoreProxiedPath() throws IOException {
        proxy.enable();
    }

    /**
     * The proxied path goes silent (the test kit's {@code timeout} toxic, 0): connections stay open, so the clients
     * keep the metadata they have and a send does not block for it, but nothing they send reaches the broker, and no
     * answer comes back.
     */
    public void silenceProxiedPath() throws IOException {
        proxy.toxics().timeout(SILENCE, ToxicDirection.UPSTREAM, 0);
    }

    /** Ends {@link #silenceProxiedPath()}; the connections it held are closed, and the clients connect again. */
    public void endSilence() throws IOException {
        if (proxy.toxics().getAll().stream().anyMatch(toxic -> toxic.getName().equals(SILENCE))) {
            proxy.toxics().get(SILENCE).remove();
        }
    }

    Admin admin() {
        return admin;
    }

    /** Creates each topic with {@code partitions} partitions and waits until it exists. */
    void createTopics(int partitions, String... topics) throws ExecutionException, InterruptedException {
        List<NewTopic> newTopics = new ArrayList<>();
        for (String topic : topics) {
            newTopics.add(new NewTopic(topic, partitions, (short) 1));
        }
        admin.createTopics(newTopics).all().get();
    }

    /** Creates one topic with these topic configurations and waits until it exists. */
    public void createTopic(String topic, int partitions, Map<String, String> configs)
            throws ExecutionException, InterruptedException {
        admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1).configs(configs))).all().get();
    }

    /** Produces and waits for the acknowledgement. */
    public void send(ProducerRecord<byte[], byte[]> record) throws ExecutionException, InterruptedException,
            java.util.concurrent.TimeoutException {
        sendAndGetOffset(record);
    }

    /**
     * Produces every record, in order, and waits for all the acknowledgements. Its own producer keeps one request in
     * flight: several batches in flight to a partition created a moment ago met the broker's out-of-order-sequence
     * check and expired (Kafka 4.3, KRaft in process).
     */
    void sendAll(List<ProducerRecord<byte[], byte[]>> records) throws ExecutionException, InterruptedException,
            java.util.concurrent.TimeoutException {
        try (KafkaProducer<byte[], byte[]> bulk = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1,
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024),
                new org.apache.kafka.common.serialization.ByteArraySerializer(),
                new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            List<java.util.concurrent.Future<org.apache.kafka.clients.producer.RecordMetadata>> acks =
                    new ArrayList<>();
            for (ProducerRecord<byte[], byte[]> record : records) {
                acks.add(bulk.send(record));
            }
            bulk.flush();
            for (java.util.concurrent.Future<org.apache.kafka.clients.producer.RecordMetadata> ack : acks) {
                ack.get(30, TimeUnit.SECONDS);
            }
        }
    }

    /** Produces, waits for the acknowledgement and returns the record's offset. */
    long sendAndGetOffset(ProducerRecord<byte[], byte[]> record) throws ExecutionException, InterruptedException,
            java.util.concurrent.TimeoutException {
        return producer.send(record).get(30, TimeUnit.SECONDS).offset();
    }

    /** Every record of {@code topic} now, in partition then offset order, read with a fresh group-less consumer. */
    public List<ConsumerRecord<byte[], byte[]>> records(String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).collect(Collectors.toList());
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() - deadline > 0) {
                    throw new AssertionError("could not read " + topic + " to its end " + end);
                }
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
            }
            records.sort((a, b) -> a.partition() != b.partition() ? Integer.compare(a.partition(), b.partition())
                    : Long.compare(a.offset(), b.offset()));
            return records;
        }
    }

    /** The end offset of each partition of {@code topic}. */
    Map<TopicPartition, Long> endOffsets(String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            return consumer.endOffsets(consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).collect(Collectors.toList()));
        }
    }

    /** The group's committed offsets, as the brokers hold them. */
    Map<TopicPartition, Long> committed(String group) throws ExecutionException, InterruptedException {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get();
        return offsets.entrySet().stream().filter(e -> e.getValue() != null)
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }

    @Override
    public void close() throws Exception {
        producer.close(Duration.ofSeconds(5));
        admin.close(Duration.ofSeconds(5));
        try {
            cluster.close();
        } finally {
            toxiproxy.close();
        }
    }
}
