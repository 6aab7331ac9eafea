package dev.tideline.processor.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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

/** Two workers share four shards two and two; when one stops, the other takes its shards. */
class WorkersIT {

    @RegisterExtension
    static final LocalAwsExtension LOCAL = new LocalAwsExtension();

    @Test
    void twoWorkersBalanceTheShardsAndOneTakesOverWhenTheOtherStops() throws Exception {
        LocalAws aws = LOCAL.aws();
        aws.precreateLeases(aws.names().processorApp(), InitialPositionInStream.TRIM_HORIZON);
        GroundTruth truth = new GroundTruth();
        try (KinesisClient kinesis = aws.clients().kinesis();
                DynamoDbClient dynamo = aws.clients().dynamoDb();
                ServiceJvm a = ProcessorProcess.start(aws, "worker-a");
                ServiceJvm b = ProcessorProcess.start(aws, "worker-b")) {
            LeaseTable leases = new LeaseTable(dynamo, aws.names().processorApp());
            AggregatesTable table = new AggregatesTable(dynamo, aws.names().aggregatesTable());
            BackgroundFeed feed = new BackgroundFeed(
                    new Clickstream(6, 500, "user-"),
                    truth,
                    20,
                    500,
                    Duration.ofMillis(500),
                    new StreamFeeder(kinesis, aws.names().stream())::aggregated);

            await().atMost(Duration.ofMinutes(1))
                    .pollInterval(Duration.ofMillis(500))
                    .untilAsserted(() -> {
                        assertThat(leases.ownedBy("worker-a")).isEqualTo(2);
                        assertThat(leases.ownedBy("worker-b")).isEqualTo(2);
                    });

            b.stop();
            await().atMost(Duration.ofMinutes(1))
                    .pollInterval(Duration.ofMillis(500))
                    .untilAsserted(() -> assertThat(leases.ownedBy("worker-a")).isEqualTo(4));

            feed.join();
            await().atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofSeconds(1))
                    .untilAsserted(() -> assertThat(table.totalEvents()).isEqualTo(truth.events()));
            table.assertExactly(truth);
        }
    }
}
