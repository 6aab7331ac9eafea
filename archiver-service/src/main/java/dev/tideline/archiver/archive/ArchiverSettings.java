package dev.tideline.archiver.archive;

import dev.tideline.archiver.parquet.ParquetFile;
import dev.tideline.archiver.parquet.RowGroupBudget;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Firehose-style buffering hints and where buffers are written.
 *
 * @param maxBytes input bytes at which a shard's buffer is flushed (Firehose: 1-128 MiB)
 * @param maxAge age of a buffer's oldest record at which it is flushed (Firehose: 0-900 s)
 * @param spool directory of the Parquet files being written before upload
 * @param memory row-group memory shared by all the shards of this worker
 */
public record ArchiverSettings(
        long maxBytes, Duration maxAge, ParquetFile.Codec codec, Path spool, RowGroupBudget memory) {

    /** Row-group memory of one worker when none is configured. */
    public static final long DEFAULT_MEMORY = 256L << 20;

    public ArchiverSettings(long maxBytes, Duration maxAge, ParquetFile.Codec codec, Path spool) {
        this(maxBytes, maxAge, codec, spool, new RowGroupBudget(DEFAULT_MEMORY));
    }
}
