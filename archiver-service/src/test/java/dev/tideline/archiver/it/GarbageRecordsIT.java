package dev.tideline.archiver.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tideline.localaws.junit.LocalAws;
import dev.tideline.localaws.junit.LocalAwsExtension;
import dev.tideline.localaws.junit.StreamFeeder;
import dev.tideline.model.event.ClickEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.s3.S3Client;

/** Garbage among good records: the good ones archived, each bad one under errors/ with its raw bytes. */
class GarbageRecordsIT {

    @RegisterExtension
    static final LocalAwsExtension LOCAL = new LocalAwsExtension();

    @TempDir
    Path dir;

    @Test
    void badRecordsGoUnderErrorsWithTheirBytesAndTheGoodOnesAreArchived() throws Exception {
        LocalAws aws = LOCAL.aws();
        List<byte[]> garbage = List.of(
                "not json".getBytes(StandardCharsets.UTF_8),
                "{\"user_id\":\"u\"}".getBytes(StandardCharsets.UTF_8),
                new byte[] {0, 1, 2, (byte) 0xFF});
        List<ClickEvent> good = new ArrayList<>();
        try (KinesisClient kinesis = aws.clients().kinesis();
                S3Client s3 = aws.clients().s3();
                ConfigurableApplicationContext app = ArchiverApp.start(aws, "archiver-g")) {
            StreamFeeder feeder = new StreamFeeder(kinesis, aws.names().stream());
            for (byte[] bad : garbage) {
                List<ClickEvent> events = Events.of(1_000, 100);
                feeder.aggregated(events);
                good.addAll(events);
                feeder.raw("user-1", bad);
            }
            await().atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofSeconds(1))
                    .untilAsserted(() -> {
                        assertThat(ArchiverCounters.archived(app)).isEqualTo(good.size());
                        assertThat(ArchiverCounters.errors(app)).isEqualTo(garbage.size());
                    });
            Archive.download(s3, aws.names().bucket(), "", dir);
        }

        try (Connection duck = Archive.duckDb();
                Statement sql = duck.createStatement();
                ResultSet rs =
                        sql.executeQuery("SELECT count(*), count(DISTINCT event_id) FROM " + Archive.events(dir))) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(good.size());
            assertThat(rs.getLong(2)).isEqualTo(good.size());
        }
        List<String> lines = new ArrayList<>();
        try (var files = Files.walk(dir.resolve("errors"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertThat(dir.relativize(f).toString())
                        .matches(
                                "errors/(undecodable|invalid)/dt=\\d{4}-\\d{2}-\\d{2}/hour=\\d{2}/shardId-\\d+-\\d+(-\\d+)?\\.jsonl");
                lines.addAll(Files.readAllLines(f));
            }
        }
        assertThat(lines).hasSize(garbage.size());
        for (byte[] bad : garbage) {
            assertThat(lines).anySatisfy(l -> assertThat(l)
                    .contains("\"data_base64\":\"" + Base64.getEncoder().encodeToString(bad) + "\"")
                    .contains("\"shard_id\":\"shardId-")
                    .contains("\"sequence_number\":\""));
        }
    }
}
