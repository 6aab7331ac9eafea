package dev.tideline.processor.rebuild;

import dev.tideline.processor.apply.ApplySettings;
import dev.tideline.processor.apply.Write;
import dev.tideline.processor.generation.Generation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The fold on Athena, over the archive's Glue table: an archive of terabytes is scanned by a
 * distributed engine instead of being copied to one task. The SQL is {@link LocalFold}'s in Athena's
 * dialect ({@link SqlDialect#ATHENA}); for generation {@code n}, under the results location:
 *
 * <ol>
 *   <li>the records to fold are staged once, as the table {@code tideline_rebuild_g<n>} of Parquet
 *       under {@code g<n>/records/} ({@code CREATE TABLE AS}), so that the archive is scanned once;
 *   <li>the users and the page views are each unloaded as Parquet ({@code UNLOAD}) under
 *       {@code g<n>/users/} and {@code g<n>/pages/};
 *   <li>those answers are copied to the work directory and read in order by DuckDB, into the same
 *       writes as {@link LocalFold}'s ({@link ArchiveFold#answered}).
 * </ol>
 *
 * Run again after a crash, each step first removes what an earlier attempt left; the staged table
 * and every answer are removed once the writes are handed on. A handover ({@code --to}) is one more
 * answer, under {@code g<n>/handover/}.
 */
public final class AthenaFold implements FoldEngine {

    /** Statements run on Athena, in the archive's database. */
    public interface Queries {

        /** Runs {@code sql} to its end and returns the bytes it scanned; throws with Athena's reason when it fails. */
        long run(String sql);
    }

    /** The results location, where Athena writes the staged records and the answers. */
    public interface Results {

        /** {@code s3://bucket/prefix/}. */
        String location();

        /** Removes every object under {@code prefix} (relative to the location). */
        void delete(String prefix);

        /** Copies every object under {@code prefix} into {@code dir}; returns how many there were. */
        int download(String prefix, Path dir);
    }

    /**
     * @param database the Glue database of the archive's table
     * @param table the archive's table in it, partitioned by {@code dt} (the arrival day, UTC)
     * @param workDir where the answers are copied to
     */
    public record Settings(String database, String table, Path workDir) {

        private static final Pattern NAME = Pattern.compile("[a-z0-9_]{1,128}");

        public Settings {
            if (!NAME.matcher(database).matches() || !NAME.matcher(table).matches()) {
                throw new IllegalArgumentException("not an Athena database and table name (lower case letters,"
                        + " digits and _): " + database + "." + table);
            }
        }
    }

    private static final long BYTES_PER_TB = 1L << 40;

    private final Settings settings;
    private final Queries athena;
    private final Results results;
    private final Supplier<Connection> duckDb;
    private final Progress progress;

    public AthenaFold(
            Settings settings, Queries athena, Results results, Supplier<Connection> duckDb, Progress progress) {
        this.settings = settings;
        this.athena = athena;
        this.results = results;
        this.duckDb = duckDb;
        this.progress = progress;
    }

    @Override
    public String fold(Generation next, Plan plan, ApplySettings apply, Consumer<Write> out)
            throws SQLException, IOException {
        progress.step("fold on Athena over " + settings.database() + "." + settings.table());
        FoldSql sql = FoldSql.of(SqlDialect.ATHENA, source(plan), plan);
        String staged = "tideline_rebuild_g" + next.number();
        String base = "g" + next.number() + "/";
        long scanned = 0;
        athena.run("DROP TABLE IF EXISTS " + staged);
        results.delete(base);
        scanned += athena.run("CREATE TABLE " + staged + " WITH (format = 'PARQUET', write_compression = 'ZSTD',"
                + " external_location = '" + results.location() + base + "records/') AS " + sql.records());
        scanned += athena.run(unload(sql.users(apply, staged), base + "users/"));
        scanned += athena.run(unload(sql.pageViews(staged), base + "pages/"));
        say(scanned);

        progress.step("write the items");
        Path answers = answers(next);
        String users = read(base + "users/", answers.resolve("users"), "user_id");
        String pages = read(base + "pages/", answers.resolve("pages"), "shard_id, minute_s, first_pos");
        try (Connection c = duckDb.get()) {
            ArchiveFold fold = ArchiveFold.answered(c, users, pages, apply);
            fold.pageViews(out);
            fold.users(out::accept);
        }
        athena.run("DROP TABLE IF EXISTS " + staged);
        results.delete(base);
        return settings.database() + "." + settings.table() + " on Athena (" + megabytes(scanned) + " scanned)";
    }

    @Override
    public Plan handOver(Generation next, Plan plan, StreamPositions stream) throws SQLException, IOException {
        progress.step("find where the stream takes over, at " + plan.to() + ", on Athena");
        String prefix = "g" + next.number() + "/handover/";
        results.delete(prefix);
        // The whole table: the handover is the last record before --to, whenever --from is.
        say(athena.run(unload(Handover.query(SqlDialect.ATHENA, settings.table(), plan), prefix)));
        String rows = read(prefix, answers(next).resolve("handover"), "shard_id");
        results.delete(prefix);
        if (rows == null) {
            return plan;
        }
        try (Connection c = duckDb.get()) {
            return Handover.of(plan, c, rows, stream);
        }
    }

    @Override
    public void clean(@Nullable Generation keep) throws IOException {
        WorkDirs.clean(settings.workDir(), keep);
    }

    private String source(Plan plan) {
        return source(settings.table(), plan.from());
    }

    /**
     * The archive's table; with {@code from}, only the days it covers (the table is partitioned by
     * the arrival day, {@code dt}), so that Athena reads no other partition.
     */
    static String source(String table, @Nullable Instant from) {
        if (from == null) {
            return table;
        }
        return "(SELECT * FROM " + table + " WHERE dt >= '"
                + from.atOffset(ZoneOffset.UTC).toLocalDate() + "') AS archive";
    }

    /** An {@code UNLOAD} of {@code query}'s rows as Parquet under {@code prefix}. */
    private String unload(String query, String prefix) {
        return "UNLOAD (" + answer(query) + ") TO '" + results.location() + prefix
                + "' WITH (format = 'PARQUET', compression = 'ZSTD')";
    }

    /** What an {@code UNLOAD} of {@code query} selects. */
    static String answer(String query) {
        return "SELECT * FROM (" + query + ") AS answer";
    }

    /**
     * Copies the answer under {@code prefix} to {@code dir}; returns a DuckDB query of its rows in
     * {@code order}, or null when Athena wrote no rows.
     */
    private @Nullable String read(String prefix, Path dir, String order) throws IOException {
        if (Files.exists(dir)) {
            try (var files = Files.list(dir)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Files.delete(f);
                }
            }
        }
        Files.createDirectories(dir);
        if (results.download(prefix, dir) == 0) {
            return null;
        }
        return "SELECT * FROM read_parquet('" + dir.toAbsolutePath().toString().replace("'", "''") + "/*') ORDER BY "
                + order;
    }

    private Path answers(Generation next) {
        return WorkDirs.of(settings.workDir(), next).resolve("athena");
    }

    private void say(long scanned) {
        progress.say("Athena scanned " + megabytes(scanned)
                + String.format(" (at $5 per TB, about $%.2f)", 5.0 * scanned / BYTES_PER_TB));
    }

    private static String megabytes(long bytes) {
        return String.format("%.1f MB", bytes / 1_000_000.0);
    }
}
