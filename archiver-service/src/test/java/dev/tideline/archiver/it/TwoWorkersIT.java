package dev.tideline.archiver.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tideline.localaws.junit.LeaseTable;
import dev.tideline.localaws.junit.LocalAws;
import dev.tideline.localaws.junit.LocalAwsExtension;
import dev.tideline.localaws.junit.ServiceJvm;
import dev.tideline.localaws.junit.StreamFeeder;
import dev.tideline.model.event.ClickEvent;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.kinesis.common.InitialPositionInStream;

/** Two archivers on four shards share the work: both write objects, and no event is in two. */
class TwoWorkersIT {

    @RegisterExtension
    static final LocalAwsExtension LOCAL = new LocalAwsExtension();

    @TempDir
    Path dir;

    @Test
    void twoWorkersShareTheShardsWithNoOverlapInObjects() throws Exception {
        LocalAws aws = LOCAL.aws();
        aws.precreateLeases(aws.names().archiverApp(), InitialPositionInStream.TRIM_HORIZON);
        try (KinesisClient kinesis = aws.clients().kinesis();
                S3Client s3 = aws.clients().s3();
                ServiceJvm a = ArchiverProcess.start(aws, "worker-a");
                ServiceJvm b = ArchiverProcess.start(aws, "worker-b");
                DynamoDbClient dynamo = aws.clients().dynamoDb()) {
            // Both workers hold two leases before the load starts, so both have shards to archive.
            LeaseTable leases = new LeaseTable(dynamo, aws.names().archiverApp());
            await().atMost(Duration.ofMinutes(1))
                    .untilAsserted(() -> assertThat(List.of(leases.ownedBy("worker-a"), leases.ownedBy("worker-b")))
                            .containsExactly(2L, 2L));
            StreamFeeder feeder = new StreamFeeder(kinesis, aws.names().stream());
            long sent = 0;
            for (int i = 0; i < 10; i++) {
                List<ClickEvent> events = Events.of(1_000, 1_000);
                feeder.aggregated(events);
                sent += events.size();
            }
            long expected = sent;
            await().atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofSeconds(1))
                    .untilAsserted(() -> assertThat(a.metric("tideline_archiver_records_total", "archived")
                                    + b.metric("tideline_archiver_records_total", "archived"))
                            .isEqualTo(expected));
            assertThat(a.metric("tideline_archiver_objects_total", "")).isPositive();
            assertThat(b.metric("tideline_archiver_objects_total", "")).isPositive();
            Archive.download(s3, aws.names().bucket(), "events/", dir);

            try (Connection duck = Archive.duckDb();
                    Statement sql = duck.createStatement();
                    ResultSet rs =
                            sql.executeQuery("SELECT count(*), count(DISTINCT event_id), count(DISTINCT shard_id) FROM "
                                    + Archive.events(dir))) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(expected);
                assertThat(rs.getLong(2)).isEqualTo(expected);
                assertThat(rs.getLong(3)).isEqualTo(4);
            }
        }
    }
}
