package dev.tideline.archiver.archive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tideline.archiver.parquet.ArchivedIds;
import dev.tideline.archiver.parquet.ParquetFile;
import dev.tideline.archiver.store.ArchiveObjects;
import dev.tideline.localaws.junit.LocalAws;
import dev.tideline.localaws.junit.LocalAwsExtension;
import dev.tideline.model.event.ClickEvent;
import dev.tideline.model.event.ClickEventCodec;
import dev.tideline.model.shard.Position;
import dev.tideline.model.shard.StreamRecord;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A lease moves while its old owner still flushes: the new owner, which buffered from the same
 * checkpoint, finds the old owner's shorter object under its first key and archives the rest right
 * after it, so every record is in exactly one object and the shard goes on.
 */
class LeaseMoveIT {

    @RegisterExtension
    static final LocalAwsExtension LOCAL = new LocalAwsExtension();

    private static final String SHARD = "shardId-000000000002";
    private static final Instant AT = Instant.parse("2026-11-22T12:10:00Z");
    private static final ClickEventCodec CODEC = new ClickEventCodec();

    @TempDir
    Path spool;

    @Test
    void theNewOwnerArchivesOnRightAfterTheOldOwnersObject() {
        LocalAws aws = LOCAL.aws();
        List<ClickEvent> events = new ArrayList<>();
        List<StreamRecord> records = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            ClickEvent e = new ClickEvent(
                    UUID.randomUUID().toString(), "u" + (i % 9), "click", null, null, null, null, AT, Map.of());
            events.add(e);
            // One garbage record before the cut, which the old owner's errors object holds.
            records.add(
                    incoming(i, e.userId(), i == 50 ? "not json".getBytes(StandardCharsets.UTF_8) : CODEC.write(e)));
        }
        events.remove(50);
        records.add(incoming(
                200, events.get(150).userId(), CODEC.write(events.get(150)))); // a client's retry, after the cut
        ObjectCounter counter = new ObjectCounter();
        try (S3Client s3 = aws.clients().s3()) {
            ArchiveObjects objects = new ArchiveObjects(s3, aws.names().bucket());
            ArchiverSettings settings =
                    new ArchiverSettings(64L << 20, Duration.ofMinutes(5), ParquetFile.Codec.ZSTD, spool);
            Clock clock = Clock.fixed(AT, ZoneOffset.UTC);
            ShardArchiver newOwner = new ShardArchiver(SHARD, objects, settings, counter, clock, () -> false);
            ShardArchiver oldOwner = new ShardArchiver(SHARD, objects, settings, counter, clock, () -> false);

            newOwner.add(records); // from the checkpoint, before the old owner's object exists
            oldOwner.add(records.subList(0, 120));
            oldOwner.flush();
            newOwner.flush();

            assertThat(newOwner.durable()).hasValue(position(200));
            List<String> keys = s3
                    .listObjectsV2Paginator(r -> r.bucket(aws.names().bucket()))
                    .contents()
                    .stream()
                    .map(S3Object::key)
                    .toList();
            assertThat(keys)
                    .containsExactlyInAnyOrder(
                            "events/dt=2026-11-22/hour=12/" + SHARD + "-1000.parquet",
                            "errors/undecodable/dt=2026-11-22/hour=12/" + SHARD + "-1000.jsonl",
                            "events/dt=2026-11-22/hour=12/" + SHARD + "-2200.parquet");
            List<String> archived = new ArrayList<>();
            for (String key : keys) {
                if (key.endsWith(".parquet")) {
                    Path copy = spool.resolve(UUID.randomUUID() + ".parquet");
                    s3.getObject(r -> r.bucket(aws.names().bucket()).key(key), copy);
                    ArchivedIds.read(copy, (id, arrival) -> archived.add(id));
                }
            }
            assertThat(archived).hasSize(199).hasSameSizeAs(new HashSet<>(archived));
            assertThat(counter.duplicates()).isEqualTo(1);

            // A replay from the start skips both objects and writes nothing.
            ShardArchiver replay = new ShardArchiver(SHARD, objects, settings, counter, clock, () -> false);
            replay.add(records);
            replay.flush();
            assertThat(s3.listObjectsV2Paginator(r -> r.bucket(aws.names().bucket()))
                            .contents())
                    .hasSize(3);
            assertThat(replay.durable()).hasValue(position(200));
        }
    }

    private static StreamRecord incoming(int i, String userId, byte[] data) {
        return new StreamRecord(Position.of(Long.toString(1_000 + i * 10L), 0), userId, data, AT.plusMillis(i));
    }

    private static Position position(int i) {
        return Position.of(Long.toString(1_000 + i * 10L), 0);
    }
}
