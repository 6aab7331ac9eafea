package dev.tideline.processor.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tideline.faults.SlowWriter;
import dev.tideline.localaws.junit.LeaseTable;
import dev.tideline.localaws.junit.LocalAws;
import dev.tideline.localaws.junit.LocalAwsExtension;
import dev.tideline.localaws.junit.ServiceJvm;
import dev.tideline.localaws.junit.StreamFeeder;
import dev.tideline.localaws.truth.Clickstream;
import dev.tideline.localaws.truth.GroundTruth;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.kinesis.common.InitialPositionInStream;

/**
 * A worker frozen past the failover time loses its leases; when it wakes holding a batch, its
 * writes are refused by the items' marks and counted, nothing is written twice, and the aggregates
 * stay exact, with clients' retries of the same {@code event_id} in the batches it holds.
 */
class ZombieWorkerIT {

    @RegisterExtension
    static final LocalAwsExtension LOCAL = new LocalAwsExtension();

    @Test
    void aWorkerThatWakesAfterItsLeasesMovedWritesNothingTwiceAndTheAggregatesStayExact() throws Exception {
        LocalAws aws = LOCAL.aws();
        aws.precreateLeases(aws.names().processorApp(), InitialPositionInStream.TRIM_HORIZON);
        GroundTruth truth = new GroundTruth();
        try (KinesisClient kinesis = aws.clients().kinesis();
                DynamoDbClient dynamo = aws.clients().dynamoDb();
                ServiceJvm zombie = ProcessorProcess.start(
                        aws, "zombie", SlowWriter.ARGUMENT, "--tideline.test.pause-before-write=300ms");
                ServiceJvm healthy = ProcessorProcess.start(aws, "healthy")) {
            await().atMost(Duration.ofMinutes(1)).ignoreExceptions().untilAsserted(() -> assertThat(
                            zombie.get("/actuator/prometheus").body())
                    .as("the slow writer is in place")
                    .contains("tideline_test_writes_under_way"));
            LeaseTable leases = new LeaseTable(dynamo, aws.names().processorApp());
            AggregatesTable table = new AggregatesTable(dynamo, aws.names().aggregatesTable());
            StreamFeeder feeder = new StreamFeeder(kinesis, aws.names().stream());
            BackgroundFeed feed = new BackgroundFeed(
                    new Clickstream(3, 1_000, "user-"), truth, 60, 400, Duration.ofMillis(250), feeder::aggregated, 10);

            // Freeze the zombie while its gauge says a write is under way (each waits 300 ms before it
            // writes); thaw it once its leases have moved. Up to three times, since the write can still
            // end between the read of the gauge and the freeze, when there is nothing to refuse.
            for (int round = 0;
                    round < 3 && zombie.metric("tideline_processor_write_retries_total", "") == 0;
                    round++) {
                await().atMost(Duration.ofMinutes(1))
                        .pollInterval(Duration.ofMillis(50))
                        .until(() -> leases.ownedBy("zombie") >= 1
                                && zombie.metric("tideline_processor_records_total", "outcome=\"applied\"") > 0
                                && zombie.metric("tideline_test_writes_under_way", "") > 0);
                zombie.pause();
                await().atMost(Duration.ofMinutes(1))
                        .pollInterval(Duration.ofMillis(250))
                        .until(() -> leases.ownedBy("healthy") == 4);
                zombie.resume();
                // Thawed, the zombie finishes the round of writes it held, if any, before this round
                // is judged: its writes are refused then, which the loop's condition reads.
                await().atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(100))
                        .until(() -> zombie.metric("tideline_test_writes_under_way", "") == 0);
            }

            feed.join();
            await().atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofSeconds(1))
                    .untilAsserted(() -> assertThat(table.totalEvents()).isEqualTo(truth.events()));
            table.assertExactly(truth);
            assertThat(zombie.metric("tideline_processor_write_retries_total", ""))
                    .as("writes of the zombie refused by the items' marks")
                    .isPositive();
            assertThat(zombie.metric("tideline_processor_records_total", "outcome=\"duplicate\"")
                            + healthy.metric("tideline_processor_records_total", "outcome=\"duplicate\""))
                    .as("clients' retries dropped")
                    .isPositive();
        }
    }
}
