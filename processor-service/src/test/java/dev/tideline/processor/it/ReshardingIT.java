package dev.tideline.processor.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tideline.localaws.Provisioner;
import dev.tideline.localaws.junit.LocalAws;
import dev.tideline.localaws.junit.LocalAwsExtension;
import dev.tideline.localaws.junit.ServiceJvm;
import dev.tideline.localaws.junit.StreamFeeder;
import dev.tideline.localaws.truth.Clickstream;
import dev.tideline.localaws.truth.GroundTruth;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.kinesis.common.InitialPositionInStream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Two shards split and two merged while events keep coming: parents finish before children, so
 * every user's events are applied in order and exactly once, and each parent's end is recorded.
 * Then the stream is deleted and created again: the worker's readiness names the shards whose leases
 * are the earlier stream's.
 */
class ReshardingIT {

    @RegisterExtension
    static final LocalAwsExtension LOCAL = new LocalAwsExtension();

    private static final String LAG = "tideline_processor_lag_seconds";

    @Test
    void splittingAndMergingUnderLoadKeepsTheAggregatesExactAndInOrder() throws Exception {
        LocalAws aws = LOCAL.aws();
        String stream = aws.names().stream();
        aws.precreateLeases(aws.names().processorApp(), InitialPositionInStream.TRIM_HORIZON);
        GroundTruth truth = new GroundTruth();
        try (KinesisClient kinesis = aws.clients().kinesis();
                DynamoDbClient dynamo = aws.clients().dynamoDb();
                ServiceJvm worker = ProcessorProcess.start(
                        aws, "reshard-1", "--management.endpoint.health.group.readiness.show-details=always")) {
            AggregatesTable table = new AggregatesTable(dynamo, aws.names().aggregatesTable());
            // One record per event: an aggregate built for a parent's range could span its children.
            BackgroundFeed feed = new BackgroundFeed(
                    new Clickstream(5, 400, "user-"),
                    truth,
                    30,
                    200,
                    Duration.ofMillis(300),
                    new StreamFeeder(kinesis, stream)::plain);
            await().atMost(Duration.ofMinutes(1)).until(() -> feed.batchesSent() >= 5);

            List<Shard> shards = kinesis.listShards(r -> r.streamName(stream)).shards();
            split(kinesis, stream, shards.get(0));
            split(kinesis, stream, shards.get(1));
            Provisioner.awaitActive(kinesis, stream);
            kinesis.mergeShards(r -> r.streamName(stream)
                    .shardToMerge(shards.get(2).shardId())
                    .adjacentShardToMerge(shards.get(3).shardId()));
            Provisioner.awaitActive(kinesis, stream);

            feed.join();
            await().atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofSeconds(1))
                    .untilAsserted(() -> assertThat(table.totalEvents()).isEqualTo(truth.events()));
            table.assertExactly(truth);

            // Children ran, so every parent was read to its end, recorded before its end was checkpointed.
            List<Map<String, AttributeValue>> ended = table.items("shard#");
            for (Shard parent : shards) {
                assertThat(ended)
                        .filteredOn(m -> m.get("shard_id").s().equals(parent.shardId()))
                        .singleElement()
                        .satisfies(m -> {
                            assertThat(m).containsKey("ended_at");
                            assertThat(m).containsKey("expires_at");
                        });
            }
            assertThat(kinesis.listShards(r -> r.streamName(stream)).shards()).hasSize(4 + 4 + 1);
            assertThat(worker.metric("tideline_processor_fenced_writes_total", ""))
                    .isZero();
            // The parents' leases are ended, and their shards closed: no earlier stream's leases.
            assertThat(readiness(worker).at("/components/leases/status").asString())
                    .isEqualTo("UP");

            // The stream deleted and created again, with as many shards as the old one had in all: the
            // new ones have the old shard ids, and every old lease ends one of them.
            aws.recreateStream(9);
            await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> {
                JsonNode readiness = readiness(worker);
                assertThat(readiness.at("/status").asString()).isEqualTo("DOWN");
                assertThat(readiness.at("/components/leases/details/error").asString())
                        .startsWith("the stream " + stream + " has shardId-000000000000, shardId-000000000001,"
                                + " shardId-000000000002, shardId-000000000003, shardId-000000000004,"
                                + " shardId-000000000005, shardId-000000000006, shardId-000000000007,"
                                + " shardId-000000000008 open, but the lease table "
                                + aws.names().processorApp()
                                + " says they were read to their end");
            });
            // Its lag falls silent, which the lag alarm treats as breaching: a lag of 0 would look fine.
            assertThat(worker.get("/actuator/prometheus").body()).containsPattern("(?m)^" + LAG + " NaN$");
        }
    }

    /** The readiness group with its details, which the worker was started to show. */
    private static JsonNode readiness(ServiceJvm worker) throws Exception {
        return JsonMapper.shared()
                .readTree(worker.get("/actuator/health/readiness").body());
    }

    private static void split(KinesisClient kinesis, String stream, Shard shard) {
        Provisioner.awaitActive(kinesis, stream);
        BigInteger start = new BigInteger(shard.hashKeyRange().startingHashKey());
        BigInteger end = new BigInteger(shard.hashKeyRange().endingHashKey());
        String middle = start.add(end).shiftRight(1).toString();
        kinesis.splitShard(
                r -> r.streamName(stream).shardToSplit(shard.shardId()).newStartingHashKey(middle));
    }
}
