package dev.tideline.archiver.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tideline.kcl.LeaseReadiness;
import dev.tideline.kcl.StreamReadiness;
import dev.tideline.localaws.junit.LocalAws;
import dev.tideline.localaws.junit.LocalAwsExtension;
import dev.tideline.localaws.junit.StreamFeeder;
import dev.tideline.model.event.ClickEvent;
import dev.tideline.model.metrics.Meters;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * 20,000 events: each in exactly one object, in shard order, in the partition of its arrival hour.
 * Then the stream is deleted and created again: the archiver says it reads none of the new one.
 */
class EveryEventOnceIT {

    @RegisterExtension
    static final LocalAwsExtension LOCAL = new LocalAwsExtension();

    @TempDir
    Path dir;

    @Test
    void everyEventLandsInExactlyOneParquetObjectThatDuckDbReads() throws Exception {
        LocalAws aws = LOCAL.aws();
        List<ClickEvent> sent = Events.of(20_000, 1_000);
        try (KinesisClient kinesis = aws.clients().kinesis();
                S3Client s3 = aws.clients().s3();
                ConfigurableApplicationContext app = ArchiverApp.start(aws, "archiver-1")) {
            new StreamFeeder(kinesis, aws.names().stream()).aggregated(sent);

            await().atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofSeconds(2))
                    .untilAsserted(
                            () -> assertThat(ArchiverCounters.archived(app)).isEqualTo(sent.size()));
            Archive.download(s3, aws.names().bucket(), "events/", dir);

            // The stream deleted and created again under the running archiver: its leases end shards
            // the new stream has open. It is not ready, names them, and its freshness falls silent.
            String stream = aws.names().stream();
            aws.recreateStream(4);
            await().atMost(Duration.ofMinutes(1))
                    .untilAsserted(() -> assertThat(LocalAws.status(port(app), "/actuator/health/readiness"))
                            .isEqualTo(503));
            assertThat(app.getBean(StreamReadiness.class).health().getStatus())
                    .as("the stream and the bucket answer")
                    .isEqualTo(Status.UP);
            assertThat(String.valueOf(app.getBean(LeaseReadiness.class)
                            .health()
                            .getDetails()
                            .get("error")))
                    .startsWith("the stream " + stream + " has shardId-000000000000, shardId-000000000001,"
                            + " shardId-000000000002, shardId-000000000003 open, but the lease table "
                            + aws.names().archiverApp() + " says they were read to their end");
            assertThat(app.getBean(MeterRegistry.class)
                            .get(Meters.ARCHIVER_FRESHNESS.name())
                            .timeGauge()
                            .value())
                    .isNaN();
        }

        try (Connection duck = Archive.duckDb();
                Statement sql = duck.createStatement()) {
            Map<String, Long> perEvent = new HashMap<>();
            try (ResultSet rs =
                    sql.executeQuery("SELECT event_id, count(*) FROM " + Archive.events(dir) + " GROUP BY event_id")) {
                while (rs.next()) {
                    perEvent.put(rs.getString(1), rs.getLong(2));
                }
            }
            Set<String> ids = sent.stream().map(ClickEvent::eventId).collect(Collectors.toSet());
            assertThat(perEvent.keySet()).isEqualTo(ids);
            assertThat(new HashSet<>(perEvent.values())).containsExactly(1L);

            Map<String, String> types = new HashMap<>();
            try (ResultSet rs = sql.executeQuery("DESCRIBE SELECT * FROM " + Archive.events(dir))) {
                while (rs.next()) {
                    types.put(rs.getString("column_name"), rs.getString("column_type"));
                }
            }
            assertThat(types)
                    .containsEntry("occurred_at", "TIMESTAMP WITH TIME ZONE")
                    .containsEntry("received_at", "TIMESTAMP WITH TIME ZONE")
                    .containsEntry("arrival_time", "TIMESTAMP WITH TIME ZONE")
                    .containsEntry("properties", "MAP(VARCHAR, VARCHAR)");

            // Within each object, rows follow the shard's order, and all are of its partition's hour.
            try (ResultSet rs = sql.executeQuery("SELECT count(*) FROM (SELECT filename, file_row_number,"
                    + " lpad(sequence_number, 60, '0') || lpad(sub_sequence_number::VARCHAR, 20, '0') AS pos,"
                    + " lag(lpad(sequence_number, 60, '0') || lpad(sub_sequence_number::VARCHAR, 20, '0'))"
                    + "   OVER (PARTITION BY filename ORDER BY file_row_number) AS previous"
                    + " FROM " + Archive.events(dir) + ") WHERE previous IS NOT NULL AND previous >= pos")) {
                rs.next();
                assertThat(rs.getLong(1)).as("rows out of shard order").isZero();
            }
            try (ResultSet rs = sql.executeQuery("SELECT count(*) FROM " + Archive.events(dir)
                    + " WHERE strftime(arrival_time AT TIME ZONE 'UTC', '%Y-%m-%d') <> dt::VARCHAR"
                    + " OR strftime(arrival_time AT TIME ZONE 'UTC', '%H') <> lpad(hour::VARCHAR, 2, '0')")) {
                rs.next();
                assertThat(rs.getLong(1)).as("rows outside their partition").isZero();
            }
        }
    }

    private static int port(ConfigurableApplicationContext app) {
        return ((WebServerApplicationContext) app).getWebServer().getPort();
    }
}
