package dev.tideline.processor.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tideline.localaws.junit.LocalAws;
import dev.tideline.localaws.junit.LocalAwsExtension;
import dev.tideline.localaws.junit.ServiceJvm;
import dev.tideline.localaws.junit.StreamFeeder;
import dev.tideline.localaws.truth.Clickstream;
import dev.tideline.localaws.truth.GroundTruth;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.kinesis.common.InitialPositionInStream;

/** 20,000 events of 1,000 users on four shards, applied exactly; then all of it replayed, changing nothing. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SteadyStreamIT {

    static final int EVENTS = 20_000;

    @RegisterExtension
    static final LocalAwsExtension LOCAL = new LocalAwsExtension();

    static LocalAws aws;
    static KinesisClient kinesis;
    static DynamoDbClient dynamo;
    static AggregatesTable table;
    static final GroundTruth truth = new GroundTruth();

    @BeforeAll
    static void feed() {
        aws = LOCAL.aws();
        kinesis = aws.clients().kinesis();
        dynamo = aws.clients().dynamoDb();
        table = new AggregatesTable(dynamo, aws.names().aggregatesTable());
        aws.precreateLeases(aws.names().processorApp(), InitialPositionInStream.TRIM_HORIZON);
        StreamFeeder feeder = new StreamFeeder(kinesis, aws.names().stream());
        Clickstream clicks = new Clickstream(20, 1_000, "user-");
        for (int i = 0; i < EVENTS / 2_000; i++) {
            var events = clicks.next(2_000);
            feeder.aggregated(events);
            truth.add(events);
        }
    }

    @AfterAll
    static void close() {
        kinesis.close();
        dynamo.close();
    }

    @Test
    @Order(1)
    void everyEventChangesTheAggregatesExactlyOnce() throws Exception {
        try (ServiceJvm worker = ProcessorProcess.start(aws, "steady-1")) {
            await().atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofSeconds(1))
                    .untilAsserted(() -> assertThat(table.totalEvents()).isEqualTo(EVENTS));
            table.assertExactly(truth);
            assertThat(worker.metric("tideline_processor_records_total", "outcome=\"applied\""))
                    .isEqualTo(EVENTS);
            assertThat(worker.metric("tideline_processor_fenced_writes_total", ""))
                    .isZero();

            GroundTruth.User someone = truth.users().get("user-7");
            HttpResponse<String> activity = worker.get("/v1/users/user-7/activity");
            assertThat(activity.statusCode()).isEqualTo(200);
            assertThat(activity.body())
                    .contains("\"user_id\":\"user-7\"")
                    .contains("\"total_events\":" + someone.totalEvents())
                    .contains("\"sessions\":" + someone.sessions())
                    .contains("\"first_seen\":\"" + someone.firstSeen() + "\"");
            assertThat(activity.headers().firstValue("X-Request-Id")).isPresent();
            HttpResponse<String> unknown = worker.get("/v1/users/nobody/activity");
            assertThat(unknown.statusCode()).isEqualTo(404);
            assertThat(unknown.headers().firstValue("Content-Type")).hasValue("application/problem+json");

            long topViews = truth.pageViews().values().stream()
                    .flatMap(m -> m.entrySet().stream())
                    .collect(java.util.stream.Collectors.groupingBy(
                            Map.Entry::getKey, java.util.stream.Collectors.summingLong(Map.Entry::getValue)))
                    .values()
                    .stream()
                    .mapToLong(Long::longValue)
                    .max()
                    .orElseThrow();
            HttpResponse<String> top = worker.get("/v1/pages/top?minutes=60&limit=3");
            assertThat(top.statusCode()).isEqualTo(200);
            assertThat(top.body()).contains("\"views\":" + topViews);
            assertThat(worker.get("/v1/pages/top?minutes=0&limit=x").body())
                    .contains("\"field\":\"minutes\"")
                    .contains("\"field\":\"limit\"");
            worker.stop();
        }
    }

    @Test
    @Order(2)
    void replayingTheWholeStreamFromTrimHorizonChangesNothing() {
        Map<String, GroundTruth.User> before = table.users();
        resetCheckpointsToTrimHorizon();

        try (ServiceJvm worker = ProcessorProcess.start(aws, "replay-1")) {
            await().atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofSeconds(1))
                    .untilAsserted(
                            () -> assertThat(worker.metric("tideline_processor_records_total", "outcome=\"replayed\""))
                                    .isEqualTo(EVENTS));
            assertThat(worker.metric("tideline_processor_records_total", "outcome=\"applied\""))
                    .isZero();
        }
        assertThat(table.users()).isEqualTo(before);
        table.assertExactly(truth);
    }

    private static void resetCheckpointsToTrimHorizon() {
        String leases = aws.names().processorApp();
        List<Map<String, AttributeValue>> items =
                dynamo.scanPaginator(r -> r.tableName(leases)).items().stream().toList();
        assertThat(items).hasSize(4);
        for (Map<String, AttributeValue> lease : items) {
            dynamo.updateItem(r -> r.tableName(leases)
                    .key(Map.of("leaseKey", lease.get("leaseKey")))
                    .updateExpression("SET #c = :th, checkpointSubSequenceNumber = :zero REMOVE leaseOwner")
                    .expressionAttributeNames(Map.of("#c", "checkpoint"))
                    .expressionAttributeValues(
                            Map.of(":th", AttributeValue.fromS("TRIM_HORIZON"), ":zero", AttributeValue.fromN("0"))));
        }
    }
}
