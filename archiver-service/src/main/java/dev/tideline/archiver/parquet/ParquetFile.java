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
import java.util.function.Consumer;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.LocalOutputFile;
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

    private static final Schema SCHEMA = ArchiveSchema.avro();
    private static final Configuration HADOOP = zstdLevel(new Configuration(false));

    /**
     * ZSTD level 1 rather than parquet-mr's 3: on 300-byte events it writes about a fifth faster for
     * files a few percent larger (see {@code ./tideline bench archiver}).
     */
    private static Configuration zstdLevel(Configuration conf) {
        conf.setInt("parquet.compression.codec.zstd.level", 1);
        return conf;
    }

    private final Path path;
    private final ParquetWriter<GenericRecord> writer;
    private final RowGroupBudget budget;
    private long rowGroupBytes;
    private long rows;

    private ParquetFile(Path path, ParquetWriter<GenericRecord> writer, RowGroupBudget budget, long rowGroupBytes) {
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
        long rowGroupBytes = budget.reserve();
        try {
            ParquetWriter<GenericRecord> writer = AvroParquetWriter.<GenericRecord>builder(new LocalOutputFile(path))
                    .withSchema(SCHEMA)
                    .withConf(HADOOP)
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
            return new ParquetFile(path, writer, budget, rowGroupBytes);
        } catch (IOException e) {
            budget.release(rowGroupBytes);
            throw new UncheckedIOException("cannot start a Parquet file at " + path, e);
        }
    }

    /** Parquet's default 1 MiB for a full row group, an eighth of a smaller one, at least 8 KiB. */
    static int pageBytes(long rowGroupBytes) {
        return (int) Math.min(1L << 20, Math.max(8L << 10, rowGroupBytes / 8));
    }

    public void write(ArchivedRecord record) {
        try {
            writer.write(row(record));
            rows++;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to " + path, e);
        }
    }

    /** Writes a row read back from another file of this schema ({@link #readRows}). */
    public void writeRow(GenericRecord row) {
        try {
            writer.write(row);
            rows++;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to " + path, e);
        }
    }

    /** Reads a finished file's rows in order, as written: no logical-type conversions. */
    public static void readRows(Path file, Consumer<GenericRecord> row) {
        try (ParquetReader<GenericRecord> reader = AvroParquetReader.<GenericRecord>builder(new LocalInputFile(file))
                .withDataModel(GenericData.get())
                .withConf(new Configuration(false))
                .build()) {
            for (GenericRecord r = reader.read(); r != null; r = reader.read()) {
                row.accept(r);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
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

    static GenericRecord row(ArchivedRecord r) {
        ClickEvent e = r.event();
        GenericData.Record row = new GenericData.Record(SCHEMA);
        row.put(Fields.EVENT_ID, e.eventId());
        row.put(Fields.USER_ID, e.userId());
        row.put(Fields.EVENT_TYPE, e.eventType());
        row.put(Fields.PAGE, e.page());
        row.put(Fields.REFERRER, e.referrer());
        row.put(Fields.SESSION_ID, e.sessionId());
        row.put(Fields.OCCURRED_AT, millis(e.occurredAt()));
        row.put(Fields.RECEIVED_AT, millis(e.receivedAt()));
        row.put(Fields.PROPERTIES, e.properties());
        row.put(SHARD_ID, r.shardId());
        row.put(SEQUENCE_NUMBER, r.sequenceNumber());
        row.put(SUB_SEQUENCE_NUMBER, r.subSequenceNumber());
        row.put(ARRIVAL_TIME, r.arrivalTime().toEpochMilli());
        ClientContext c = e.context();
        if (c != null) {
            row.put(Fields.USER_AGENT, c.userAgent());
            row.put(Fields.IP, c.ip());
            row.put(Fields.BROWSER, c.browser());
            row.put(Fields.OS, c.os());
            row.put(Fields.DEVICE_CLASS, c.deviceClass());
            row.put(Fields.IS_BOT, c.bot());
        }
        return row;
    }

    private static @Nullable Long millis(@Nullable Instant at) {
        return at == null ? null : at.toEpochMilli();
    }
}
