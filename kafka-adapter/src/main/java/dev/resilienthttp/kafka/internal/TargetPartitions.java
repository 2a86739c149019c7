package dev.resilienthttp.kafka.internal;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.TimeoutException;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * {@link TopicChecks}'s rule for each routed copy, before it is sent: a consumed topic can gain partitions while the
 * processor runs, and a copy for a partition its target topic lacks would make the producer wait {@code max.block.ms}
 * for it and fail with a retriable timeout, again and again, while every other copy waited behind it and nothing was
 * committed, the processor still saying {@code RUNNING}.
 *
 * <p>The routing producer's metadata answers at no cost. Only when it says the partition is missing are the brokers
 * asked, by an admin client made for that one question: that metadata can be {@code metadata.max.age.ms} (5 min) old,
 * older than a target topic grown together with the source, and a processor an operator has set right must go on.
 *
 * <p>A copy whose partition the brokers confirm missing stops the processor (it fails as for a copy too large for its
 * topic), its record not committed. Sending it to another partition, by its key's hash say, would be a quiet
 * exception to the rule that {@code start()} enforces: the same processor, restarted, would refuse to start, and the
 * copies of one key would no longer follow their records' partitions. Adding the partitions is one command.
 */
final class TargetPartitions {
    private final Map<String, Object> adminConfig;
    private final Duration timeout;
    private final String errorTopic;
    private final String deadLetterTopic;

    TargetPartitions(ProcessorSettings<?, ?> settings) {
        this.adminConfig = ClientConfigs.admin(settings.producerConfig());
        // The question stands in for a send, which may block this long.
        this.timeout = ClientConfigs.maxBlock(settings.producerConfig());
        this.errorTopic = settings.errorTopic();
        this.deadLetterTopic = settings.deadLetterTopic();
    }

    /**
     * Checks that {@code target} has the partition of the record at {@code source}.
     *
     * @throws IllegalStateException if the brokers say it has not
     * @throws KafkaException if the producer or the brokers cannot say within {@code max.block.ms}: the copy is tried
     *                        again, as after a failed send
     */
    void check(TopicPartition source, String target, Producer<?, ?> producer) {
        if (source.partition() < TopicChecks.partitions(producer, target)) {
            return;
        }
        TopicChecks.requireCounterpart(source, target, brokersCount(target), errorTopic, deadLetterTopic);
    }

    private int brokersCount(String topic) {
        int millis = (int) Math.min(Integer.MAX_VALUE / 2, timeout.toMillis());
        Admin admin = Admin.create(adminConfig);
        try {
            return admin.describeTopics(List.of(topic), new DescribeTopicsOptions().timeoutMs(millis))
                    .allTopicNames().get(2L * millis, TimeUnit.MILLISECONDS).get(topic).partitions().size();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof KafkaException ? (KafkaException) e.getCause()
                    : new KafkaException("asking the brokers how many partitions " + topic + " has failed", e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new TimeoutException("the brokers did not say within " + timeout + " how many partitions " + topic
                    + " has", e);
        } catch (InterruptedException e) {
            throw new InterruptException(e);
        } finally {
            admin.close(Duration.ZERO);
        }
    }
}
