package dev.tideline.archiver.parquet;

import dev.tideline.model.archive.ArchiveSchema;
import dev.tideline.model.event.Fields;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.function.BiConsumer;

/** Reads the {@code event_id} and arrival of every row of an archive file, to rebuild a dedupe window. */
public final class ArchivedIds {

    private static final List<String> COLUMNS = List.of(Fields.EVENT_ID, ArchiveSchema.ARRIVAL_TIME);

    private ArchivedIds() {}

    /** Calls {@code row} with each row's event id and arrival time, in file order. */
    public static void read(Path file, BiConsumer<String, Instant> row) {
        RowReader.read(
                file,
                COLUMNS,
                r -> row.accept((String) r.get(Fields.EVENT_ID), Instant.ofEpochMilli((Long)
                        r.get(ArchiveSchema.ARRIVAL_TIME))));
    }
}
