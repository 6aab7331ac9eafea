package dev.tideline.processor.rebuild;

import dev.tideline.processor.apply.ApplySettings;
import dev.tideline.processor.apply.Write;
import dev.tideline.processor.generation.Generation;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The fold on this machine: the plan's objects copied to the work directory ({@link ArchiveCopy}),
 * DuckDB over the copy. What {@code ./tideline rebuild} runs.
 */
public final class LocalFold implements FoldEngine {

    private final ArchiveCopy copy;
    private final Progress progress;

    /**
     * @param concurrency objects copied at once: the archive is many small objects, each a request
     */
    public LocalFold(
            ArchiveSource archive, Path workDir, int concurrency, Supplier<Connection> duckDb, Progress progress) {
        this.copy = new ArchiveCopy(archive, workDir, concurrency, duckDb, progress);
        this.progress = progress;
    }

    @Override
    public void clean(@Nullable Generation keep) throws IOException {
        copy.clean(keep);
    }

    @Override
    public String fold(Generation next, Plan plan, ApplySettings apply, Consumer<Write> out)
            throws SQLException, IOException {
        List<ArchiveSource.ArchivedObject> planned = copy.planned(plan);
        copy.copy(next, planned);
        if (!planned.isEmpty()) {
            try (Connection c = copy.connection()) {
                ArchiveFold fold = ArchiveFold.over(c, FoldSql.of(SqlDialect.DUCKDB, copy.source(next), plan), apply);
                progress.folding(fold.records());
                if (fold.earlierRecords() > 0) {
                    progress.say("Of them, " + Progress.amount(fold.earlierRecords(), "record")
                            + " arrived before the stream was created, at " + plan.since()
                            + ": an earlier stream's of the same name, folded before this stream's");
                }
                progress.step("fold and write the items");
                fold.pageViews(out);
                fold.users(out::accept);
                return Progress.amount(fold.records(), "record") + " of " + Progress.amount(planned.size(), "object");
            }
        }
        return "no object";
    }

    /**
     * The archive's planned objects are copied (the load then copies only those the archiver wrote
     * since) and the cut found in them.
     */
    @Override
    public Plan handOver(Generation next, Plan plan, StreamPositions stream) throws SQLException, IOException {
        List<ArchiveSource.ArchivedObject> planned = copy.planned(plan);
        copy.copy(next, planned);
        if (planned.isEmpty()) {
            return plan;
        }
        progress.step("find where the stream takes over, at " + plan.to());
        try (Connection c = copy.connection()) {
            return Handover.of(plan, c, Handover.query(SqlDialect.DUCKDB, copy.source(next), plan), stream);
        }
    }
}
