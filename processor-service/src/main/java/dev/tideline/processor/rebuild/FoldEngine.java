package dev.tideline.processor.rebuild;

import dev.tideline.processor.apply.ApplySettings;
import dev.tideline.processor.apply.Write;
import dev.tideline.processor.generation.Generation;
import java.io.IOException;
import java.sql.SQLException;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Where a rebuild's SQL ({@link FoldSql}) runs over the archive: {@link LocalFold}, DuckDB over a copy
 * of the archive on this machine's disk, or {@link AthenaFold}, Athena over the archive's Glue table.
 * Both give the same writes for the same plan, and both may be run again after a crash: the
 * archive's objects never change once written.
 */
public interface FoldEngine {

    /**
     * Hands to {@code out} the writes that make generation {@code next} from the plan's records.
     * Returns what was read, for the log ("from 4 objects").
     */
    String fold(Generation next, Plan plan, ApplySettings apply, Consumer<Write> out) throws SQLException, IOException;

    /** {@code plan}, made to end at its {@code to} ({@link Handover}). */
    Plan handOver(Generation next, Plan plan, StreamPositions stream) throws SQLException, IOException;

    /**
     * Deletes what the engine keeps on this machine's disk for every generation but {@code keep}: all
     * of it once a rebuild is served or abandoned (null), an earlier rebuild's before one goes on.
     */
    void clean(@Nullable Generation keep) throws IOException;
}
