package dev.tideline.localaws.kinesis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tideline.localaws.junit.LocalAws;
import dev.tideline.localaws.junit.LocalAwsExtension;
import dev.tideline.localaws.junit.StreamFeeder;
import dev.tideline.model.kpl.UserRecord;
import dev.tideline.model.shard.ShardMap;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.kinesis.common.ConfigsBuilder;
import software.amazon.kinesis.common.InitialPositionInStream;
import software.amazon.kinesis.coordinator.Scheduler;
import software.amazon.kinesis.lifecycle.events.InitializationInput;
import software.amazon.kinesis.lifecycle.events.LeaseLostInput;
import software.amazon.kinesis.lifecycle.events.ProcessRecordsInput;
import software.amazon.kinesis.lifecycle.events.ShardEndedInput;
import software.amazon.kinesis.lifecycle.events.ShutdownRequestedInput;
import software.amazon.kinesis.metrics.NullMetricsFactory;
import software.amazon.kinesis.processor.RecordProcessorCheckpointer;
import software.amazon.kinesis.processor.ShardRecordProcessor;
import software.amazon.kinesis.retrieval.polling.PollingConfig;

class KplAggregatesThroughKclIT {

    private static final int USERS = 300;
    private static final int EVENTS_PER_USER = 10;
    private static final String APP = "kpl-reader";

    @RegisterExtension
    static final LocalAwsExtension LOCAL = new LocalAwsExtension(4);

    record Received(String shardId, String partitionKey, String data, String sequence, long subSequence) {}

    @Test
    void kclHandsBackEveryUserRecordInOrderWithSubSequenceNumbers() throws Exception {
        LocalAws aws = LOCAL.aws();
        String stream = aws.names().stream();
        List<UserRecord> sent = new ArrayList<>();
        for (int i = 0; i < EVENTS_PER_USER; i++) {
            for (int u = 0; u < USERS; u++) {
                sent.add(UserRecord.of("user-" + u, ("user-" + u + "#" + i).getBytes(StandardCharsets.UTF_8)));
            }
        }
        int aggregates;
        try (KinesisClient kinesis = aws.clients().kinesis()) {
            aggregates = new StreamFeeder(kinesis, stream).aggregate(sent, 2048);
        }
        assertThat(aggregates).as("aggregates written").isBetween(8, sent.size() / 10);

        Queue<Received> received = new ConcurrentLinkedQueue<>();
        aws.precreateLeases(APP, InitialPositionInStream.TRIM_HORIZON);
        try (KinesisAsyncClient kinesis = aws.clients().kinesisAsync();
                DynamoDbAsyncClient dynamo = aws.clients().dynamoDbAsync();
                CloudWatchAsyncClient cloudWatch = aws.clients().unusedCloudWatch()) {
            Scheduler scheduler = scheduler(stream, kinesis, dynamo, cloudWatch, received);
            Thread worker = new Thread(scheduler, "kcl-worker");
            worker.start();
            try {
                await().atMost(Duration.ofSeconds(90))
                        .untilAsserted(() -> assertThat(received).hasSize(sent.size()));
            } finally {
                scheduler.startGracefulShutdown().get(30, TimeUnit.SECONDS);
                worker.join(TimeUnit.SECONDS.toMillis(30));
            }
        }

        assertEachUsersRecordsInSentOrder(sent, received);
        assertSubSequenceNumbersCountWithinEachAggregate(received);
        try (KinesisClient kinesis = aws.clients().kinesis()) {
            ShardMap map =
                    ShardMap.of(kinesis.listShards(r -> r.streamName(stream)).shards());
            assertThat(received).allSatisfy(r -> assertThat(r.shardId()).isEqualTo(map.shardFor(r.partitionKey())));
        }
    }

    private static Scheduler scheduler(
            String stream,
            KinesisAsyncClient kinesis,
            DynamoDbAsyncClient dynamo,
            CloudWatchAsyncClient cloudWatch,
            Queue<Received> received) {
        ConfigsBuilder configs =
                new ConfigsBuilder(stream, APP, kinesis, dynamo, cloudWatch, "worker-1", () -> new Collector(received));
        return new Scheduler(
                configs.checkpointConfig(),
                configs.coordinatorConfig(),
                configs.leaseManagementConfig().failoverTimeMillis(2_000),
                configs.lifecycleConfig(),
                configs.metricsConfig().metricsFactory(new NullMetricsFactory()),
                configs.processorConfig(),
                configs.retrievalConfig()
                        .retrievalSpecificConfig(new PollingConfig(stream, kinesis).idleTimeBetweenReadsInMillis(200)));
    }

    private static void assertEachUsersRecordsInSentOrder(List<UserRecord> sent, Queue<Received> received) {
        Map<String, List<String>> expected = sent.stream()
                .collect(Collectors.groupingBy(
                        UserRecord::partitionKey,
                        Collectors.mapping(r -> new String(r.data(), StandardCharsets.UTF_8), Collectors.toList())));
        Map<String, List<String>> actual = received.stream()
                .collect(Collectors.groupingBy(
                        Received::partitionKey, Collectors.mapping(Received::data, Collectors.toList())));
        assertThat(actual).isEqualTo(expected);
    }

    private static void assertSubSequenceNumbersCountWithinEachAggregate(Queue<Received> received) {
        Map<String, List<Long>> bySequence = received.stream()
                .collect(Collectors.groupingBy(
                        Received::sequence, Collectors.mapping(Received::subSequence, Collectors.toList())));
        assertThat(bySequence.values()).allSatisfy(subs -> assertThat(subs)
                .containsExactlyElementsOf(java.util.stream.LongStream.range(0, subs.size())
                        .boxed()
                        .toList()));
        assertThat(bySequence.values()).anySatisfy(subs -> assertThat(subs).hasSizeGreaterThan(1));
    }

    /** Collects what KCL hands over and checkpoints after each batch. */
    private static final class Collector implements ShardRecordProcessor {

        private final Queue<Received> received;
        private String shardId;

        Collector(Queue<Received> received) {
            this.received = received;
        }

        @Override
        public void initialize(InitializationInput input) {
            shardId = input.shardId();
        }

        @Override
        public void processRecords(ProcessRecordsInput input) {
            input.records()
                    .forEach(r -> received.add(new Received(
                            shardId,
                            r.partitionKey(),
                            StandardCharsets.UTF_8.decode(r.data()).toString(),
                            r.sequenceNumber(),
                            r.subSequenceNumber())));
            checkpoint(input.checkpointer());
        }

        @Override
        public void leaseLost(LeaseLostInput input) {}

        @Override
        public void shardEnded(ShardEndedInput input) {
            checkpoint(input.checkpointer());
        }

        private static void checkpoint(RecordProcessorCheckpointer checkpointer) {
            try {
                checkpointer.checkpoint();
            } catch (Exception e) {
                throw new IllegalStateException("checkpoint failed", e);
            }
        }

        @Override
        public void shutdownRequested(ShutdownRequestedInput input) {}
    }
}
