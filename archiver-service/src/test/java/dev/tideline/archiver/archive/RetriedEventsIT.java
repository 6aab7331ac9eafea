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
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Clients' retries of an {@code event_id} are archived once, also when the retry reaches a worker
 * that took the shard over after the original was archived: the new worker reads the window back
 * from the shard's objects, across an hour boundary.
 */
class RetriedEventsIT {

    @RegisterExtension
    static final LocalAwsExtension LOCAL = new LocalAwsExtension();

    private static final String SHARD = "shardId-000000000001";
    private static final Instant START = Instant.parse("2026-11-22T10:52:00Z");
    private static final ClickEventCodec CODEC = new ClickEventCodec();

    @TempDir
    Path spool;

    private long sequence = 2_000_000;

    private StreamRecord record(ClickEvent e, Instant arrival) {
        sequence += 10;
        return new StreamRecord(Position.of(Long.toString(sequence), 0), e.userId(), CODEC.write(e), arrival);
    }

    @Test
    void aRetryIsArchivedOnceEvenAfterTheShardMovedToAnotherWorker() {
        LocalAws aws = LOCAL.aws();
        Random random = new Random(7);
        List<ClickEvent> originals = new ArrayList<>();
        List<StreamRecord> first = new ArrayList<>();
        List<StreamRecord> second = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            Instant arrival = START.plusSeconds(i);
            ClickEvent e = new ClickEvent(
                    UUID.randomUUID().toString(), "u" + (i % 40), "click", null, null, null, null, arrival, Map.of());
            originals.add(e);
            List<StreamRecord> half = i < 300 ? first : second;
            half.add(record(e, arrival));
            if (random.nextInt(5) == 0) {
                // The same event sent again a minute or two later: after the takeover when it is late.
                ClickEvent earlier = originals.get(Math.max(0, originals.size() - 1 - random.nextInt(60)));
                half.add(record(earlier, arrival.plusMillis(500)));
            }
        }
        int retries = first.size() + second.size() - originals.size();
        ObjectCounter counter = new ObjectCounter();
        try (S3Client s3 = aws.clients().s3()) {
            ArchiveObjects objects = new ArchiveObjects(s3, aws.names().bucket());
            ArchiverSettings settings =
                    new ArchiverSettings(64L << 20, Duration.ofMinutes(5), ParquetFile.Codec.ZSTD, spool);
            Clock clock = Clock.fixed(START, ZoneOffset.UTC);
            ShardArchiver before = new ShardArchiver(SHARD, objects, settings, counter, clock, () -> false);
            before.add(first);
            before.flush();

            ShardArchiver after = new ShardArchiver(SHARD, objects, settings, counter, clock, () -> false);
            after.add(second);
            after.flush();

            List<String> ids = new ArrayList<>();
            for (S3Object o : s3.listObjectsV2Paginator(
                            r -> r.bucket(aws.names().bucket()))
                    .contents()) {
                Path copy = spool.resolve(UUID.randomUUID() + ".parquet");
                s3.getObject(r -> r.bucket(aws.names().bucket()).key(o.key()), copy);
                ArchivedIds.read(copy, (id, arrival) -> ids.add(id));
            }
            Set<String> distinct = new HashSet<>(ids);
            assertThat(ids).hasSize(originals.size()).hasSameSizeAs(distinct);
            assertThat(distinct)
                    .containsExactlyInAnyOrderElementsOf(
                            originals.stream().map(ClickEvent::eventId).toList());
            assertThat(counter.duplicates()).isEqualTo(retries).isPositive();
            assertThat(counter.objects()).as("10:5x and 11:0x").isEqualTo(3);
        }
    }
}
