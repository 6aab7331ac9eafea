package dev.tideline.archiver.archive;

import dev.tideline.archiver.parquet.ParquetFile;
import dev.tideline.archiver.parquet.RowGroupBudget;
import dev.tideline.model.retry.Backoff;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Firehose-style buffering hints and where buffers are written.
 *
 * @param maxBytes input bytes at which a shard's buffer is flushed (Firehose: 1-128 MiB)
 * @param maxAge age of a buffer's oldest record at which it is flushed (Firehose: 0-900 s)
 * @param spool directory of the Parquet files being written before upload
 * @param memory row-group memory shared by all the shards of this worker
 * @param dedupeWindow an event whose {@code event_id} the shard archived within this time before
 *     (by arrival) is a client's retry, and is not archived again
 * @param dedupeMaxIds the most ids one shard remembers
 * @param backoff the waits between attempts at an unreachable bucket
 */
public record ArchiverSettings(
        long maxBytes,
        Duration maxAge,
        ParquetFile.Codec codec,
        Path spool,
        RowGroupBudget memory,
        Duration dedupeWindow,
        int dedupeMaxIds,
        Backoff backoff) {

    /** Row-group memory of one worker when none is configured. */
    public static final long DEFAULT_MEMORY = 256L << 20;

    /** The dedupe window when none is configured. */
    public static final Duration DEFAULT_DEDUPE_WINDOW = Duration.ofMinutes(15);

    /** Ids one shard remembers at the most when unset: 15 minutes at Kinesis's 1,000 records/s per shard. */
    public static final int DEFAULT_DEDUPE_MAX_IDS = 1_000_000;

    public ArchiverSettings(long maxBytes, Duration maxAge, ParquetFile.Codec codec, Path spool) {
        this(
                maxBytes,
                maxAge,
                codec,
                spool,
                new RowGroupBudget(DEFAULT_MEMORY),
                DEFAULT_DEDUPE_WINDOW,
                DEFAULT_DEDUPE_MAX_IDS,
                Backoff.DEFAULT);
    }
}
