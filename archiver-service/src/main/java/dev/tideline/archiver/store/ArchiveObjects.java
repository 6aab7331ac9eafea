package dev.tideline.archiver.store;

import dev.tideline.archiver.parquet.ArchivedIds;
import dev.tideline.model.names.Layout;
import dev.tideline.model.shard.Position;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The archive's objects in S3 (docs/ARCHITECTURE.md, "Names and layout"). Keys are deterministic, so that
 * writing the same records again names the same object; objects are created with
 * {@code If-None-Match: *}, so an existing one is never overwritten; and each carries, in its
 * metadata, the position of the last record it holds. Thread-safe.
 */
public final class ArchiveObjects {

    /** Metadata of every archive object: where its records end, and how many it has. */
    public static final String LAST_SEQUENCE = "last-sequence-number";

    public static final String LAST_SUB_SEQUENCE = "last-sub-sequence-number";
    public static final String ROWS = "rows";

    private static final DateTimeFormatter DAY =
            DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter HOUR =
            DateTimeFormatter.ofPattern("HH").withZone(ZoneOffset.UTC);

    /** S3's smallest part but the last. */
    public static final long MIN_PART_SIZE = 5L * 1024 * 1024;

    /** Objects larger than this go up in parts of this size, unless told otherwise. */
    public static final long DEFAULT_PART_SIZE = 16L * 1024 * 1024;

    private final S3Client s3;
    private final String bucket;
    private final long partSize;

    public ArchiveObjects(S3Client s3, String bucket) {
        this(s3, bucket, DEFAULT_PART_SIZE);
    }

    /** @param partSize objects larger than this are uploaded in parts of this size, at least 5 MiB */
    public ArchiveObjects(S3Client s3, String bucket, long partSize) {
        if (partSize < MIN_PART_SIZE) {
            throw new IllegalArgumentException("an S3 part is at least 5 MiB, not " + partSize + " bytes");
        }
        this.s3 = s3;
        this.bucket = bucket;
        this.partSize = partSize;
    }

    /** Where the records of a shard starting at {@code firstSequence} land, by their arrival hour. */
    public static String eventsKey(Instant arrival, String shardId, Position first) {
        return Layout.EVENTS_PREFIX + partition(arrival) + "/" + name(shardId, first) + ".parquet";
    }

    /** Where rejected records of one reason land, keyed like the events they were read with. */
    public static String errorsKey(String reason, Instant arrival, String shardId, Position first) {
        return Layout.ERRORS_PREFIX + reason + "/" + partition(arrival) + "/" + name(shardId, first) + ".jsonl";
    }

    private static String partition(Instant arrival) {
        return "dt=" + DAY.format(arrival) + "/hour=" + HOUR.format(arrival);
    }

    // A run of records may start inside a KPL aggregate; the key must still be unique.
    private static String name(String shardId, Position first) {
        return shardId + "-" + first.sequenceNumber() + (first.subSequence() == 0 ? "" : "-" + first.subSequence());
    }

    /**
     * Calls {@code id} with the {@code event_id} and arrival of every event of shard {@code shardId}
     * archived in objects that start before {@code before} and hold records of
     * {@code [from, to]}'s hours. Each object is read from a temporary copy in {@code spool}.
     */
    public void archivedIds(
            String shardId, Instant from, Instant to, Position before, Path spool, BiConsumer<String, Instant> id) {
        translating(() -> {
            readIds(shardId, from, to, before, spool, id);
            return null;
        });
    }

    private void readIds(
            String shardId, Instant from, Instant to, Position before, Path spool, BiConsumer<String, Instant> id) {
        for (Instant hour = from.truncatedTo(ChronoUnit.HOURS);
                !hour.isAfter(to);
                hour = hour.plus(1, ChronoUnit.HOURS)) {
            String prefix = Layout.EVENTS_PREFIX + partition(hour) + "/" + shardId + "-";
            for (S3Object o : s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix))
                    .contents()) {
                if (first(o.key(), prefix).compareTo(before) >= 0) {
                    continue;
                }
                Path copy = spool.resolve("ids-" + UUID.randomUUID() + ".parquet");
                try {
                    s3.getObject(r -> r.bucket(bucket).key(o.key()), copy);
                    ArchivedIds.read(copy, id);
                } finally {
                    deleteQuietly(copy);
                }
            }
        }
    }

    /** The first position of an object, from its key (see {@link #eventsKey}). */
    private static Position first(String key, String prefix) {
        String name = key.substring(prefix.length(), key.length() - ".parquet".length());
        int dash = name.indexOf('-');
        return dash < 0
                ? Position.of(name, 0)
                : Position.of(name.substring(0, dash), Long.parseLong(name.substring(dash + 1)));
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a temporary copy left behind is only disk space
        }
    }

    /** The end of the object under {@code key}, if there is one. */
    public Optional<Position> existing(String key) {
        return translating(() -> endOf(key));
    }

    private Optional<Position> endOf(String key) {
        try {
            return Optional.of(end(s3.headObject(r -> r.bucket(bucket).key(key)).metadata()));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private static Position end(Map<String, String> metadata) {
        return Position.of(metadata.get(LAST_SEQUENCE), Long.parseLong(metadata.getOrDefault(LAST_SUB_SEQUENCE, "0")));
    }

    /**
     * Creates the object from a finished file unless one exists under the key. A file larger than
     * the part size goes up as a multipart upload, streamed part by part from the file, whose
     * completion carries the same {@code If-None-Match: *} condition; a failed or refused upload is
     * aborted, so no parts are left behind.
     *
     * @return empty when this call created it; the existing object's end otherwise
     */
    public Optional<Position> createIfAbsent(String key, Path file, String contentType, Position last, long rows) {
        return translating(() -> create(key, file, contentType, last, rows));
    }

    private Optional<Position> create(String key, Path file, String contentType, Position last, long rows) {
        Map<String, String> metadata = Map.of(
                LAST_SEQUENCE, last.sequenceNumber(),
                LAST_SUB_SEQUENCE, Long.toString(last.subSequence()),
                ROWS, Long.toString(rows));
        try {
            if (Files.size(file) > partSize) {
                new MultipartUpload(s3, bucket, key, partSize).upload(file, contentType, metadata);
            } else {
                s3.putObject(
                        r -> r.bucket(bucket)
                                .key(key)
                                .ifNoneMatch("*")
                                .contentType(contentType)
                                .metadata(metadata),
                        RequestBody.fromFile(file));
            }
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (S3Exception e) {
            // 412: the object exists; 409: another writer is creating it right now.
            if (e.statusCode() != 412 && e.statusCode() != 409) {
                throw e;
            }
        }
        return Optional.of(end(s3.headObject(r -> r.bucket(bucket).key(key)).metadata()));
    }

    /** The SDK's failures stop here: callers see {@link ArchiveUnavailableException}. */
    private <T> T translating(Supplier<T> call) {
        try {
            return call.get();
        } catch (SdkException e) {
            throw new ArchiveUnavailableException("bucket " + bucket + " cannot be used: " + e.getMessage(), e);
        }
    }
}
