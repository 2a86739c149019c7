package dev.resilienthttp.examples.replay;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.server.common.MetadataVersion;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

/**
 * One real KRaft broker (broker and controller in one node) in this JVM, bound to 127.0.0.1 only, its files in a
 * temporary directory deleted on {@link #close()} (or at exit, if the replay is interrupted).
 *
 * <p>The settings are the kafka-adapter tests' (research/kafka-dlq-anchors.md §5): internal topics with replication
 * 1 (without it {@code __consumer_offsets} cannot be created on one broker and no group ever forms), the latest
 * production metadata version, no initial rebalance delay. The broker is Kafka's own {@code KafkaRaftServer},
 * formatted by Kafka's {@code StorageTool}, as {@code kafka-server-start.sh} runs it, rather than Kafka's test kit:
 * the kit pre-binds its listeners on every interface, and the replay listens on loopback only. The cost is that the
 * two ports are chosen free just before the broker binds them; if another process takes one in between, the start is
 * tried once more on other ports.
 */
final class InProcessBroker implements AutoCloseable {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final KafkaRaftServer server;
    private final Path directory;
    private final String bootstrapServers;
    private final Admin admin;
    private final Thread cleanupAtExit;
    private boolean closed;

    private InProcessBroker(KafkaRaftServer server, Path directory, String bootstrapServers) {
        this.server = server;
        this.directory = directory;
        this.bootstrapServers = bootstrapServers;
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
        this.cleanupAtExit = new Thread(this::stop, "incident-replay-broker-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanupAtExit);
    }

    static InProcessBroker start() throws Exception {
        try {
            return startOnFreePorts();
        } catch (RuntimeException e) {
            // Most likely a port taken between choosing it and binding it: once more, on other ports.
            return startOnFreePorts();
        }
    }

    private static InProcessBroker startOnFreePorts() throws Exception {
        Path directory = Files.createTempDirectory("incident-replay-kafka-");
        int brokerPort = freeLoopbackPort();
        int controllerPort = freeLoopbackPort();
        Properties config = config(directory, brokerPort, controllerPort);
        KafkaRaftServer server = null;
        try {
            format(directory, config);
            server = new KafkaRaftServer(KafkaConfig.fromProps(config, false), Time.SYSTEM);
            server.startup();
        } catch (Exception e) {
            if (server != null) {
                server.shutdown();
                server.awaitShutdown();
            }
            Utils.delete(directory.toFile());
            throw e;
        }
        InProcessBroker broker = new InProcessBroker(server, directory, "127.0.0.1:" + brokerPort);
        try {
            broker.awaitReady();
            return broker;
        } catch (Exception e) {
            broker.close();
            throw e;
        }
    }

    private static Properties config(Path directory, int brokerPort, int controllerPort) {
        Properties config = new Properties();
        config.put("process.roles", "broker,controller");
        config.put("node.id", "1");
        config.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        config.put("listeners", "BROKER://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        config.put("advertised.listeners", "BROKER://127.0.0.1:" + brokerPort);
        config.put("listener.security.protocol.map", "BROKER:PLAINTEXT,CONTROLLER:PLAINTEXT");
        config.put("inter.broker.listener.name", "BROKER");
        config.put("controller.listener.names", "CONTROLLER");
        config.put("log.dirs", directory.resolve("data").toString());
        config.put("offsets.topic.replication.factor", "1");
        config.put("offsets.topic.num.partitions", "4");
        config.put("transaction.state.log.replication.factor", "1");
        config.put("transaction.state.log.min.isr", "1");
        config.put("share.coordinator.state.topic.replication.factor", "1");
        config.put("share.coordinator.state.topic.min.isr", "1");
        config.put("group.initial.rebalance.delay.ms", "0");
        config.put("auto.create.topics.enable", "false");
        return config;
    }

    /** The KRaft storage format step, in process; the tool's report lines are not for the replay's output. */
    private static void format(Path directory, Properties config) throws IOException {
        Path file = directory.resolve("server.properties");
        try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            config.store(writer, "incident replay broker");
        }
        int status = StorageTool.execute(new String[] {"format", "--cluster-id", Uuid.randomUuid().toString(),
                "--config", file.toString(), "--release-version", MetadataVersion.latestProduction().version(),
                "--ignore-formatted"}, new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8));
        if (status != 0) {
            throw new IllegalStateException("formatting the broker's storage in " + directory + " failed: " + status);
        }
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private void awaitReady() throws InterruptedException, ExecutionException, TimeoutException {
        admin.describeCluster().nodes().get(READY_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    String bootstrapServers() {
        return bootstrapServers;
    }

    /** Creates each topic with {@code partitions} partitions and waits until it exists. */
    void createTopics(int partitions, Collection<String> topics) throws ExecutionException, InterruptedException {
        List<NewTopic> newTopics = new ArrayList<>();
        for (String topic : topics) {
            newTopics.add(new NewTopic(topic, partitions, (short) 1));
        }
        admin.createTopics(newTopics).all().get();
    }

    /**
     * Waits until {@code group} is stable with {@code members} members that share every partition of
     * {@code topics}, so that no rebalance moves a partition (and replays records) once events flow.
     *
     * @throws TimeoutException with the group's last description if it is not so within {@code timeout}
     */
    void awaitGroup(String group, int members, Set<String> topics, int partitions, Duration timeout)
            throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "not described yet";
        while (System.nanoTime() - deadline < 0) {
            try {
                ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(group))
                        .describedGroups().get(group).get(5, TimeUnit.SECONDS);
                Set<TopicPartition> assigned = description.members().stream()
                        .map(MemberDescription::assignment)
                        .flatMap(assignment -> assignment.topicPartitions().stream())
                        .collect(Collectors.toSet());
                last = description.groupState() + ", " + description.members().size() + " members, "
                        + assigned.size() + " partitions assigned";
                if (description.groupState() == GroupState.STABLE && description.members().size() == members
                        && assigned.size() == topics.size() * partitions) {
                    return;
                }
            } catch (ExecutionException e) {
                last = e.getCause().toString();
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
        throw new TimeoutException("consumer group " + group + " did not settle within " + timeout.toSeconds()
                + " s: " + last);
    }

    /** Stops the broker and deletes its files. */
    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(cleanupAtExit);
        } catch (IllegalStateException exiting) {
            // Called while the JVM exits: the hook is running or has run.
        }
    }

    private synchronized void stop() {
        if (closed) {
            return;
        }
        closed = true;
        admin.close(Duration.ofSeconds(5));
        server.shutdown();
        server.awaitShutdown();
        try {
            Utils.delete(directory.toFile());
        } catch (IOException e) {
            throw new IllegalStateException("could not delete the broker's files in " + directory, e);
        }
    }
}
