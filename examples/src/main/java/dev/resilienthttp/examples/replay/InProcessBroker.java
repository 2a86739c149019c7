package dev.resilienthttp.examples.replay;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.server.common.MetadataVersion;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

/**
 * One real KRaft broker (broker and controller in one node) in this JVM, started by Kafka's own test kit
 * ({@code kafka-test-common-runtime}) as the kafka-adapter's tests start theirs: offsets topic replication 1, the
 * latest production metadata version, its files in a temporary directory deleted on {@link #close()}. The kit is
 * Kafka's internal test infrastructure, so it is used here and nowhere else.
 */
final class InProcessBroker implements AutoCloseable {
    private final KafkaClusterTestKit cluster;
    private final Admin admin;

    private InProcessBroker(KafkaClusterTestKit cluster) {
        this.cluster = cluster;
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()));
    }

    static InProcessBroker start() throws Exception {
        Path baseDirectory = Files.createTempDirectory("incident-replay-kafka-");
        KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                .setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1)
                // The kit's default is the latest *testing* version, with unreleased features.
                .setBootstrapMetadataVersion(MetadataVersion.latestProduction())
                .setBaseDirectory(baseDirectory)
                .build())
                // Without it __consumer_offsets cannot be created on one broker and no group ever forms.
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("offsets.topic.num.partitions", "4")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .setConfigProp("auto.create.topics.enable", "false")
                .build();
        try {
            formatQuietly(cluster);
            cluster.startup();
            cluster.waitForReadyBrokers();
            return new InProcessBroker(cluster);
        } catch (Exception e) {
            try {
                cluster.close();
            } catch (Exception suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** The kit's storage formatter prints two lines to {@code System.out}, where the replay's result goes. */
    private static void formatQuietly(KafkaClusterTestKit cluster) throws Exception {
        PrintStream out = System.out;
        System.setOut(new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8));
        try {
            cluster.format();
        } finally {
            System.setOut(out);
        }
    }

    String bootstrapServers() {
        return cluster.bootstrapServers();
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
        admin.close(Duration.ofSeconds(5));
        try {
            cluster.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            throw new IllegalStateException("the broker did not stop cleanly", e);
        }
    }
}
