package dev.tideline.archiver.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tideline.localaws.junit.SharedLocalStack;
import dev.tideline.localaws.junit.StreamFeeder;
import dev.tideline.model.event.ClickEvent;
import dev.tideline.model.names.Layout;
import dev.tideline.model.names.ResourceNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.test.context.ActiveProfiles;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.localstack.LocalStackContainer;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.s3.S3Client;

/** The archiver service on LocalStack, where Docker is; skipped where it is not. */
@Testcontainers(disabledWithoutDocker = true)
@SpringBootTest(properties = "tideline.archiver.buffer.interval=2s")
@ActiveProfiles("localstack")
class ArchiverLocalStackIT {

    @ServiceConnection
    static final LocalStackContainer LOCALSTACK = SharedLocalStack.container();

    @TempDir
    Path dir;

    @Test
    void everyEventLandsInParquetExactlyOnce() {
        List<ClickEvent> events = Events.of(500, 25);
        try (KinesisClient kinesis = SharedLocalStack.client(KinesisClient.builder());
                S3Client s3 = SharedLocalStack.client(S3Client.builder().forcePathStyle(true))) {
            new StreamFeeder(kinesis, ResourceNames.DEFAULT.stream()).aggregated(events);

            // KCL waits up to 30 s before its first lease sync on an empty lease table.
            await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> {
                Path copy = Files.createTempDirectory(dir, "archive");
                Archive.download(s3, ResourceNames.DEFAULT.bucket(), Layout.EVENTS_PREFIX, copy);
                try (Connection db = Archive.duckDb();
                        ResultSet rs = db.createStatement()
                                .executeQuery(
                                        "SELECT count(*), count(DISTINCT event_id) FROM " + Archive.events(copy))) {
                    rs.next();
                    assertThat(rs.getLong(1)).isEqualTo(events.size());
                    assertThat(rs.getLong(2)).isEqualTo(events.size());
                }
            });
        }
    }
}
