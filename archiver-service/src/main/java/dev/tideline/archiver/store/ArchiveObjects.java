package dev.tideline.archiver.store;

import dev.tideline.model.names.Layout;
import dev.tideline.model.shard.Position;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The archive's objects in S3 (DESIGN.md, "Names and layout"). Keys are deterministic, so that
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

    private final S3Client s3;
    private final String bucket;

    public ArchiveObjects(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
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

    /** The end of the object under {@code key}, if there is one. */
    public Optional<Position> existing(String key) {
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
     * Creates the object from a finished file unless one exists under the key.
     *
     * @return empty when this call created it; the existing object's end otherwise
     */
    public Optional<Position> createIfAbsent(String key, Path file, String contentType, Position last, long rows) {
        try {
            s3.putObject(
                    r -> r.bucket(bucket)
                            .key(key)
                            .ifNoneMatch("*")
                            .contentType(contentType)
                            .metadata(Map.of(
                                    LAST_SEQUENCE, last.sequenceNumber(),
                                    LAST_SUB_SEQUENCE, Long.toString(last.subSequence()),
                                    ROWS, Long.toString(rows))),
                    RequestBody.fromFile(file));
            return Optional.empty();
        } catch (S3Exception e) {
            // 412: the object exists; 409: another writer is creating it right now.
            if (e.statusCode() != 412 && e.statusCode() != 409) {
                throw e;
            }
        }
        return Optional.of(end(s3.headObject(r -> r.bucket(bucket).key(key)).metadata()));
    }
}
