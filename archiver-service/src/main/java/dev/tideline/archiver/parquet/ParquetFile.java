package dev.tideline.archiver.parquet;

import static dev.tideline.model.archive.ArchiveSchema.ARRIVAL_TIME;
import static dev.tideline.model.archive.ArchiveSchema.SEQUENCE_NUMBER;
import static dev.tideline.model.archive.ArchiveSchema.SHARD_ID;
import static dev.tideline.model.archive.ArchiveSchema.SUB_SEQUENCE_NUMBER;

import dev.tideline.model.archive.ArchiveSchema;
import dev.tideline.model.event.ClickEvent;
import dev.tideline.model.event.ClientContext;
import dev.tideline.model.event.Fields;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.schema.MessageType;
import org.jspecify.annotations.Nullable;

/**
 * A Parquet file of archived records being written to local disk, row by row, with the schema
 * from {@link ArchiveSchema}; the file is then uploaded as it is, so no object is ever held whole in
 * memory. Not thread-safe.
 */
public final class ParquetFile implements AutoCloseable {

    /** Codecs the archive offers; ZSTD makes files about a third of Snappy's. */
    public enum Codec {
        ZSTD(CompressionCodecName.ZSTD),
        SNAPPY(CompressionCodecName.SNAPPY);

        private final CompressionCodecName parquet;

        Codec(CompressionCodecName parquet) {
            this.parquet = parquet;
        }
    }

    private final Path path;
    private final ParquetWriter<ArchiveRow> writer;
    private final RowGroupBudget budget;
    private long rowGroupBytes;
    private long rows;

    private ParquetFile(Path path, ParquetWriter<ArchiveRow> writer, RowGroupBudget budget, long rowGroupBytes) {
        this.path = path;
        this.writer = writer;
        this.budget = budget;
        this.rowGroupBytes = rowGroupBytes;
    }

    /** Starts a file at {@code path}, which must not exist, with a full-size row group of its own. */
    public static ParquetFile create(Path path, Codec codec) {
        return create(path, codec, new RowGroupBudget(RowGroupBudget.MAX_ROW_GROUP));
    }

    /**
     * Starts a file at {@code path}, which must not exist, with a row-group size granted by the
     * budget until {@link #close}.
     */
    public static ParquetFile create(Path path, Codec codec, RowGroupBudget budget) {
        return create(path, codec, budget, RowSchema.ARCHIVE);
    }

    /**
     * A file of only the archive's first {@code columns} columns, as files were before the later ones
     * were added; the rows' other values are not written.
     */
    static ParquetFile createWithFirstColumns(Path path, Codec codec, int columns) {
        return create(
                path,
                codec,
                new RowGroupBudget(RowGroupBudget.MAX_ROW_GROUP),
                RowSchema.of(ArchiveSchema.COLUMNS.subList(0, columns)));
    }

    private static ParquetFile create(Path path, Codec codec, RowGroupBudget budget, MessageType schema) {
        long rowGroupBytes = budget.reserve();
        boolean started = false;
        try {
            ParquetWriter<ArchiveRow> writer = new Builder(new LocalOutputFile(path), schema)
                    .withConf(new PlainParquetConfiguration())
                    .withCodecFactory(Codecs.INSTANCE)
                    .withCompressionCodec(codec.parquet)
                    .withWriteMode(ParquetFileWriter.Mode.CREATE)
                    // A row group is held in memory until full; the budget bounds all open files'.
                    .withRowGroupSize(rowGroupBytes)
                    // Pages and dictionaries are buffered per column: a small row group gets small ones.
                    .withPageSize(pageBytes(rowGroupBytes))
                    .withDictionaryPageSize(pageBytes(rowGroupBytes))
                    // Unique per row: a dictionary costs time and saves nothing.
                    .withDictionaryEncoding(Fields.EVENT_ID, false)
                    .withDictionaryEncoding(SEQUENCE_NUMBER, false)
                    .build();
            started = true;
            return new ParquetFile(path, writer, budget, rowGroupBytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a Parquet file at " + path, e);
        } finally {
            if (!started) {
                budget.release(rowGroupBytes);
            }
        }
    }

    /** Parquet's default 1 MiB for a full row group, an eighth of a smaller one, at least 8 KiB. */
    static int pageBytes(long rowGroupBytes) {
        return (int) Math.min(1L << 20, Math.max(8L << 10, rowGroupBytes / 8));
    }

    public void write(ArchivedRecord record) {
        writeRow(row(record));
    }

    /** Writes a row read back from another file of this schema ({@link #readRows}). */
    public void writeRow(ArchiveRow row) {
        try {
            writer.write(row);
            rows++;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to " + path, e);
        }
    }

    /** Reads a finished file's rows in order, as written. */
    public static void readRows(Path file, Consumer<ArchiveRow> row) {
        RowReader.read(file, List.of(), row);
    }

    public long rows() {
        return rows;
    }

    public Path path() {
        return path;
    }

    /** Finishes the file, giving its row-group memory back; its size is final after this. */
    @Override
    public void close() {
        try {
            writer.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot finish " + path, e);
        } finally {
            budget.release(rowGroupBytes);
            rowGroupBytes = 0;
        }
    }

    /** The row-group size this file was granted; 0 once closed. */
    long rowGroupBytes() {
        return rowGroupBytes;
    }

    /** The bytes of a finished file. */
    public long size() {
        try {
            return Files.size(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ArchiveRow row(ArchivedRecord r) {
        ClickEvent e = r.event();
        ArchiveRow row = new ArchiveRow()
                .set(Fields.EVENT_ID, e.eventId())
                .set(Fields.USER_ID, e.userId())
                .set(Fields.EVENT_TYPE, e.eventType())
                .set(Fields.PAGE, e.page())
                .set(Fields.REFERRER, e.referrer())
                .set(Fields.SESSION_ID, e.sessionId())
                .set(Fields.OCCURRED_AT, millis(e.occurredAt()))
                .set(Fields.RECEIVED_AT, millis(e.receivedAt()))
                .set(Fields.PROPERTIES, e.properties())
                .set(SHARD_ID, r.shardId())
                .set(SEQUENCE_NUMBER, r.sequenceNumber())
                .set(SUB_SEQUENCE_NUMBER, r.subSequenceNumber())
                .set(ARRIVAL_TIME, r.arrivalTime().toEpochMilli());
        ClientContext c = e.context();
        if (c != null) {
            row.set(Fields.USER_AGENT, c.userAgent())
                    .set(Fields.IP, c.ip())
                    .set(Fields.BROWSER, c.browser())
                    .set(Fields.OS, c.os())
                    .set(Fields.DEVICE_CLASS, c.deviceClass())
                    .set(Fields.IS_BOT, c.bot());
        }
        return row;
    }

    private static @Nullable Long millis(@Nullable Instant at) {
        return at == null ? null : at.toEpochMilli();
    }

    /** parquet-java's writer for {@link ArchiveRow}s, with no Hadoop configuration anywhere. */
    private static final class Builder extends ParquetWriter.Builder<ArchiveRow, Builder> {

        private final MessageType schema;

        Builder(OutputFile file, MessageType schema) {
            super(file);
            this.schema = schema;
        }

        @Override
        protected Builder self() {
            return this;
        }

        @Override
        protected WriteSupport<ArchiveRow> getWriteSupport(org.apache.parquet.conf.ParquetConfiguration conf) {
            return new RowWriteSupport(schema);
        }

        /** Hadoop's variant, which {@code build} never calls when given a Parquet configuration. */
        @Override
        @SuppressWarnings("deprecation") // abstract: a builder must still override it
        protected WriteSupport<ArchiveRow> getWriteSupport(org.apache.hadoop.conf.Configuration conf) {
            throw new UnsupportedOperationException("the archive's files are written without Hadoop's configuration");
        }
    }
}
