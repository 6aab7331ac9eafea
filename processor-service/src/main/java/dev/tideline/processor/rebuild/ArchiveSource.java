package dev.tideline.processor.rebuild;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** The archive's event objects, listed and copied to disk; implementations translate their failures. */
public interface ArchiveSource {

    /** An archived object: its key, size, and the shard and position of its first record from its name. */
    record ArchivedObject(String key, long size) {

        private static final Pattern HOUR = Pattern.compile("(?:^|/)dt=([0-9]{4}-[0-9]{2}-[0-9]{2})/hour=([0-9]{2})/");

        private static final Pattern OURS =
                Pattern.compile("(?:.*/)?(shardId-[0-9]+)-([0-9]+)(?:-([0-9]+))?\\.parquet");

        /** The shard named by the object, or null for an object the archiver did not write (Firehose's). */
        public @Nullable String shardId() {
            Matcher m = OURS.matcher(key);
            return m.matches() ? m.group(1) : null;
        }

        /**
         * The hour its first record arrived in, from its {@code dt=/hour=} partition; null for a key
         * without one.
         */
        public @Nullable Instant hour() {
            Matcher m = HOUR.matcher(key);
            return m.find() ? Instant.parse(m.group(1) + "T" + m.group(2) + ":00:00Z") : null;
        }

        /** The {@link FoldSql} position of its first record; only for objects the archiver wrote. */
        String firstPos() {
            Matcher m = OURS.matcher(key);
            if (!m.matches()) {
                throw new IllegalStateException("not an archiver's object: " + key);
            }
            return FoldSql.pos(dev.tideline.model.shard.Position.of(
                    m.group(2), m.group(3) == null ? 0 : Long.parseLong(m.group(3))));
        }
    }

    /** Where the objects are, for messages: {@code s3://bucket/events/}. */
    String location();

    /** Every event object, in key order. */
    List<ArchivedObject> list();

    /** Copies one object to {@code file}. */
    void download(ArchivedObject object, Path file);
}
