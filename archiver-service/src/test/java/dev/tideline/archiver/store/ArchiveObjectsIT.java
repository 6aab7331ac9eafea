package dev.tideline.archiver.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tideline.localaws.junit.LocalAws;
import dev.tideline.localaws.junit.LocalAwsExtension;
import dev.tideline.model.shard.Position;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

class ArchiveObjectsIT {

    @RegisterExtension
    static final LocalAwsExtension LOCAL = new LocalAwsExtension();

    @TempDir
    Path dir;

    @Test
    void keysFollowTheHivePartitionsOfTheArrivalHour() {
        assertThat(ArchiveObjects.eventsKey(
                        Instant.parse("2026-11-22T09:59:59.999Z"), "shardId-000000000002", Position.of("4961", 0)))
                .isEqualTo("events/dt=2026-11-22/hour=09/shardId-000000000002-4961.parquet");
        assertThat(ArchiveObjects.errorsKey(
                        "undecodable",
                        Instant.parse("2026-11-22T23:00:00Z"),
                        "shardId-000000000002",
                        Position.of("4961", 3)))
                .isEqualTo("errors/undecodable/dt=2026-11-22/hour=23/shardId-000000000002-4961-3.jsonl");
    }

    @Test
    void anExistingObjectIsNeverOverwrittenAndTellsWhereItEnds() throws Exception {
        LocalAws aws = LOCAL.aws();
        Path first = Files.writeString(dir.resolve("first"), "first");
        Path second = Files.writeString(dir.resolve("second"), "second, longer");
        try (S3Client s3 = aws.clients().s3()) {
            ArchiveObjects objects = new ArchiveObjects(s3, aws.names().bucket());
            String key = "events/dt=2026-11-22/hour=10/shardId-000000000000-100.parquet";

            assertThat(objects.createIfAbsent(key, first, "application/vnd.apache.parquet", Position.of("150", 2), 7))
                    .isEmpty();
            assertThat(objects.createIfAbsent(key, second, "application/vnd.apache.parquet", Position.of("180", 0), 9))
                    .contains(Position.of("150", 2));

            String stored = s3.getObjectAsBytes(
                            r -> r.bucket(aws.names().bucket()).key(key))
                    .asUtf8String();
            assertThat(stored).isEqualTo("first");
        }
    }

    @Test
    void aLargeObjectGoesUpInPartsUnderTheSameCondition() throws Exception {
        LocalAws aws = LOCAL.aws();
        long partSize = ArchiveObjects.MIN_PART_SIZE;
        byte[] content = new byte[(int) (2 * partSize + 12_345)];
        new Random(42).nextBytes(content);
        Path large = Files.write(dir.resolve("large"), content);
        Path other = Files.write(dir.resolve("other"), Arrays.copyOf(content, (int) partSize + 1));
        try (S3Client s3 = aws.clients().s3()) {
            ArchiveObjects objects = new ArchiveObjects(s3, aws.names().bucket(), partSize);
            String key = "events/dt=2026-11-22/hour=11/shardId-000000000001-200.parquet";

            assertThat(objects.createIfAbsent(key, large, "application/vnd.apache.parquet", Position.of("260", 0), 3))
                    .isEmpty();
            assertThat(objects.createIfAbsent(key, other, "application/vnd.apache.parquet", Position.of("300", 0), 1))
                    .contains(Position.of("260", 0));

            byte[] stored = s3.getObjectAsBytes(
                            r -> r.bucket(aws.names().bucket()).key(key))
                    .asByteArray();
            assertThat(stored).isEqualTo(content);
            assertThat(s3.listMultipartUploads(r -> r.bucket(aws.names().bucket()))
                            .uploads())
                    .as("the refused upload was aborted")
                    .isEmpty();
        }
    }

    @Test
    void aPartUnderS3sMinimumIsRefused() {
        assertThatThrownBy(() -> new ArchiveObjects(null, "b", 1024 * 1024))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 5 MiB");
    }
}
