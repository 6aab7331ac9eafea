package dev.tideline.archiver.parquet;

import dev.tideline.model.archive.ArchiveSchema;
import dev.tideline.model.event.Fields;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.function.BiConsumer;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.io.LocalInputFile;

/** Reads the {@code event_id} and arrival of every row of an archive file, to rebuild a dedupe window. */
public final class ArchivedIds {

    private ArchivedIds() {}

    /** Calls {@code row} with each row's event id and arrival time, in file order. */
    public static void read(Path file, BiConsumer<String, Instant> row) {
        try (ParquetReader<GenericRecord> reader = AvroParquetReader.<GenericRecord>builder(new LocalInputFile(file))
                .withConf(new Configuration(false))
                .build()) {
            for (GenericRecord r = reader.read(); r != null; r = reader.read()) {
                Object arrival = r.get(ArchiveSchema.ARRIVAL_TIME);
                // timestamp-millis: an Instant where the reader converts logical types, else a long
                row.accept(
                        r.get(Fields.EVENT_ID).toString(),
                        arrival instanceof Instant at ? at : Instant.ofEpochMilli((Long) arrival));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
