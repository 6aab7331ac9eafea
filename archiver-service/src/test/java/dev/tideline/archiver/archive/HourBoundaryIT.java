package dev.tideline.archiver.archive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tideline.archiver.parquet.ParquetFile;
import dev.tideline.archiver.store.ArchiveObjects;
import dev.tideline.localaws.junit.LocalAws;
import dev.tideline.localaws.junit.LocalAwsExtension;
import dev.tideline.model.event.ClickEvent;
import dev.tideline.model.event.ClickEventCodec;
import dev.tideline.model.shard.Position;
import dev.tideline.model.shard.StreamRecord;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** Records whose arrival straddles an hour land in two objects, each in its own partition. */
class HourBoundaryIT {

    @RegisterExtension
    static final LocalAwsExtension LOCAL = new LocalAwsExtension();

    @TempDir
    Path spool;

    private static final String SHARD = "shardId-000000000003";

    @Test
    void noObjectSpansTwoHourPartitions() {
        LocalAws aws = LOCAL.aws();
        Instant boundary = Instant.parse("2026-11-22T11:00:00Z");
        ClickEventCodec codec = new ClickEventCodec();
        List<StreamRecord> records = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            Instant arrival = boundary.minusSeconds(50).plusSeconds(i);
            ClickEvent e = new ClickEvent(
                    UUID.randomUUID().toString(), "u", "click", null, null, null, null, arrival, Map.of());
            records.add(
                    new StreamRecord(Position.of(Long.toString(1_000_000 + i * 10L), 0), "u", codec.write(e), arrival));
        }
        ObjectCounter objects = new ObjectCounter();
        try (S3Client s3 = aws.clients().s3()) {
            ShardArchiver archiver = new ShardArchiver(
                    SHARD,
                    new ArchiveObjects(s3, aws.names().bucket()),
                    new ArchiverSettings(64L << 20, Duration.ofMinutes(5), ParquetFile.Codec.ZSTD, spool),
                    objects,
                    Clock.fixed(boundary, ZoneOffset.UTC),
                    () -> false);
            archiver.add(records);
            archiver.flush();

            List<String> keys = s3
                    .listObjectsV2Paginator(r -> r.bucket(aws.names().bucket()))
                    .contents()
                    .stream()
                    .map(S3Object::key)
                    .toList();
            assertThat(keys)
                    .containsExactlyInAnyOrder(
                            "events/dt=2026-11-22/hour=10/" + SHARD + "-1000000.parquet",
                            "events/dt=2026-11-22/hour=11/" + SHARD + "-1000500.parquet");
            assertThat(objects.objects()).isEqualTo(2);
            assertThat(archiver.durable()).hasValue(Position.of("1000990", 0));
        }
    }
}
