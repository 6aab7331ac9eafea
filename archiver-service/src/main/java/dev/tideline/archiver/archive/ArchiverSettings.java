package dev.tideline.archiver.archive;

import dev.tideline.archiver.parquet.ParquetFile;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Firehose-style buffering hints and where buffers are written.
 *
 * @param maxBytes input bytes at which a shard's buffer is flushed (Firehose: 1-128 MiB)
 * @param maxAge age of a buffer's oldest record at which it is flushed (Firehose: 0-900 s)
 * @param spool directory of the Parquet files being written before upload
 */
public record ArchiverSettings(long maxBytes, Duration maxAge, ParquetFile.Codec codec, Path spool) {}
