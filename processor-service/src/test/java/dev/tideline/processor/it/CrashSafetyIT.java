package dev.tideline.processor.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tideline.localaws.junit.LocalAws;
import dev.tideline.localaws.junit.LocalAwsExtension;
import dev.tideline.localaws.junit.ServiceJvm;
import dev.tideline.localaws.junit.StreamFeeder;
import dev.tideline.localaws.truth.Clickstream;
import dev.tideline.localaws.truth.GroundTruth;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.kinesis.common.InitialPositionInStream;

/** Kill -9 at random points under load, three times: the aggregates still count every event once. */
class CrashSafetyIT {

    @RegisterExtension
    static final LocalAwsExtension LOCAL = new LocalAwsExtension();

    @Test
    void aggregatesStayExactAcrossThreeKillsUnderLoad() throws Exception {
        LocalAws aws = LOCAL.aws();
        aws.precreateLeases(aws.names().processorApp(), InitialPositionInStream.TRIM_HORIZON);
        GroundTruth truth = new GroundTruth();
        Random random = new Random(42);
        try (KinesisClient kinesis = aws.clients().kinesis();
                DynamoDbClient dynamo = aws.clients().dynamoDb()) {
            AggregatesTable table = new AggregatesTable(dynamo, aws.names().aggregatesTable());
            StreamFeeder feeder = new StreamFeeder(kinesis, aws.names().stream());
            BackgroundFeed feed = new BackgroundFeed(
                    new Clickstream(2, 1_000, "user-"), truth, 40, 500, Duration.ofMillis(400), feeder::aggregated);

            for (int kill = 1; kill <= 3; kill++) {
                ServiceJvm worker = ProcessorProcess.start(aws, "crash-" + kill);
                long applied = table.totalEvents();
                // A random point: some events applied since this worker started, more still coming.
                long target = applied + 500 + random.nextInt(2_500);
                await().atMost(Duration.ofMinutes(2))
                        .pollInterval(Duration.ofMillis(200))
                        .until(() -> table.totalEvents() >= target || (feed.finished() && caughtUp(table, truth)));
                worker.kill();
            }
            feed.join();
            try (ServiceJvm last = ProcessorProcess.start(aws, "crash-final")) {
                await().atMost(Duration.ofMinutes(3))
                        .pollInterval(Duration.ofSeconds(1))
                        .untilAsserted(() -> assertThat(table.totalEvents()).isEqualTo(truth.events()));
                table.assertExactly(truth);
                assertThat(truth.events()).isEqualTo(20_000);
            }
        }
    }

    private static boolean caughtUp(AggregatesTable table, GroundTruth truth) {
        return table.totalEvents() == truth.events();
    }
}
