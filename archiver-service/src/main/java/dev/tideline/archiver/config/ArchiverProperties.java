package dev.tideline.archiver.config;

import dev.tideline.archiver.parquet.ParquetFile;
import dev.tideline.archiver.parquet.RowGroupBudget;
import dev.tideline.archiver.store.ArchiveObjects;
import dev.tideline.kcl.KclConsumerProperties;
import dev.tideline.kcl.KclProperties;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import java.nio.file.Path;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * The archiver's settings, under {@code tideline.archiver}. Defaults are Firehose's for a
 * stream-to-S3 Parquet delivery; the {@code local} profile flushes after a few seconds.
 *
 * @param bucket the archive bucket
 * @param kcl the stream, the KCL application ({@code tideline-archiver}) and KCL's tuning
 */
@ConfigurationProperties("tideline.archiver")
@Validated
public record ArchiverProperties(
        @DefaultValue("tideline-archive") @NotBlank String bucket,
        @DefaultValue @Valid KclProperties kcl,
        @DefaultValue @Valid Buffer buffer,
        @DefaultValue @Valid Upload upload,
        @DefaultValue @Valid Dedupe dedupe)
        implements KclConsumerProperties {

    /** The archiver flushes a quiet shard's buffer once it is old enough, so it takes empty batches. */
    @Override
    public boolean emptyBatches() {
        return true;
    }

    /**
     * Clients' retries of an {@code event_id} are archived once.
     *
     * @param window an event whose id its shard archived within this time before (by arrival) is not
     *     archived again
     * @param maxIds the most ids a shard remembers, about 80 bytes each; the default holds 15 minutes
     *     of a shard at Kinesis's 1,000 records/s
     */
    public record Dedupe(@DefaultValue("15m") Duration window, @DefaultValue("1000000") @Min(1) int maxIds) {}

    /**
     * How objects go up to S3.
     *
     * @param partSize objects larger than this are uploaded in parts of this size, at least 5 MiB
     */
    public record Upload(@DefaultValue("16MB") DataSize partSize) {

        public Upload {
            if (partSize.toBytes() < ArchiveObjects.MIN_PART_SIZE) {
                throw new IllegalArgumentException(
                        "tideline.archiver.upload.part-size is at least 5MB, not " + partSize);
            }
        }
    }

    /**
     * Firehose-style buffering hints: a shard's buffer becomes an object at whichever comes first.
     *
     * @param size input bytes per object, 1 to 128 MiB
     * @param interval the longest a record waits in a buffer, 0 to 900 s
     * @param spool where buffers are written before upload; a directory under the temporary one
     *     when unset
     * @param memory row-group memory shared by all of this worker's shards, at least 8 MB: a
     *     shard's Parquet file holds its current row group in memory
     */
    public record Buffer(
            @DefaultValue("64MB") DataSize size,
            @DefaultValue("300s") Duration interval,
            @DefaultValue("ZSTD") ParquetFile.Codec codec,
            @Nullable Path spool,
            @DefaultValue("256MB") DataSize memory) {

        public Buffer {
            if (size.toBytes() < DataSize.ofMegabytes(1).toBytes()
                    || size.toBytes() > DataSize.ofMegabytes(128).toBytes()) {
                throw new IllegalArgumentException("tideline.archiver.buffer.size is 1MB to 128MB, not " + size);
            }
            if (memory.toBytes() < RowGroupBudget.MAX_ROW_GROUP) {
                throw new IllegalArgumentException("tideline.archiver.buffer.memory is at least 8MB, not " + memory);
            }
            if (interval.isNegative() || interval.compareTo(Duration.ofSeconds(900)) > 0) {
                throw new IllegalArgumentException("tideline.archiver.buffer.interval is 0 to 900s, not " + interval);
            }
        }
    }
}
