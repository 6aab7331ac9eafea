package dev.tideline.processor.rebuild;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tideline.processor.apply.ApplySettings;
import dev.tideline.processor.apply.Write;
import dev.tideline.processor.generation.Generation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link AthenaFold}'s steps, against an Athena of this test's own: it takes the statements AthenaFold
 * sends, checks that each carries the fold in Athena's dialect (which athena-dialect runs on Trino),
 * and answers each as Athena would, by running the same fold in DuckDB's dialect over the same
 * archive and writing the rows as Parquet under the results location (a directory here). The writes
 * must be the ones DuckDB over a copy of the archive makes ({@link LocalFold}'s), and nothing may be
 * left under the results location or in the catalog.
 */
class AthenaFoldTest {

    private static final ApplySettings SETTINGS = RandomArchive.SETTINGS;
    private static final Generation NEXT = new Generation(3);

    @TempDir
    Path dir;

    private Connection archive;
    private List<ArchiveTable.Row> stream;
    private FakeAthena athena;
    private SaidProgress progress;

    @BeforeEach
    void archive() throws SQLException {
        archive = DriverManager.getConnection("jdbc:duckdb:");
        stream = RandomArchive.stream(new Random(11), 800, true);
        ArchiveTable.create(archive, stream);
        progress = new SaidProgress();
    }

    @AfterEach
    void close() throws SQLException {
        archive.close();
    }

    @Test
    void writesWhatDuckDbOverACopyWritesAndLeavesNothingBehind() throws Exception {
        Plan plan = new Plan(Map.of(), null, null);
        athena = new FakeAthena(plan);

        List<Write> writes = fold(plan);

        assertThat(writes).hasSizeGreaterThan(10).isEqualTo(expected(plan));
        assertThat(athena.statements).first().isEqualTo("DROP TABLE IF EXISTS tideline_rebuild_g3");
        assertThat(athena.statements.get(1))
                .startsWith("CREATE TABLE tideline_rebuild_g3 WITH (format = 'PARQUET'")
                .contains("external_location = '" + athena.location() + "g3/records/'");
        assertThat(athena.statements.subList(2, 4))
                .allSatisfy(s -> assertThat(s).startsWith("UNLOAD (SELECT * FROM ("));
        assertThat(athena.statements).last().isEqualTo("DROP TABLE IF EXISTS tideline_rebuild_g3");
        assertThat(athena.tables).isEmpty();
        assertThat(athena.objects()).isEmpty();
        assertThat(progress.said).anySatisfy(line -> assertThat(line).startsWith("Athena scanned "));
    }

    @Test
    void aPlanWithBoundsAndFromReadsOnlyTheDaysFromCovers() throws Exception {
        Map<String, String> bounds = new TreeMap<>();
        RandomArchive.SHARDS.forEach(s -> bounds.put(s, "~"));
        Instant from = stream.get(stream.size() / 3).arrived();
        Plan plan = new Plan(checkpoints(bounds), from, null);
        athena = new FakeAthena(plan);

        List<Write> writes = fold(plan);

        assertThat(writes).isNotEmpty().isEqualTo(expected(plan));
        assertThat(athena.statements.get(1))
                .contains("FROM (SELECT * FROM events WHERE dt >= '2026-11-20') AS archive");
    }

    @Test
    void aPlanOfAStreamCreatedAgainFoldsTheEarlierStreamsRecordsOnAthenaAsOnDuckDb() throws Exception {
        Map<String, String> bounds = new TreeMap<>();
        bounds.put(RandomArchive.SHARDS.get(1), "~");
        Instant since = stream.get(stream.size() / 2).arrived();
        Plan plan = new Plan(checkpoints(bounds), null, null, since);
        athena = new FakeAthena(plan);

        List<Write> writes = fold(plan);

        assertThat(writes)
                .isNotEmpty()
                .isEqualTo(expected(plan))
                .as("the first shard's earlier records are folded, though no bound names it")
                .isNotEqualTo(expected(new Plan(plan.checkpoints(), null, null)));
        assertThat(athena.statements.get(1)).contains(" AS earlier ");
    }

    @Test
    void anEarlierAttemptsLeftoversAreRemovedFirst() throws Exception {
        Plan plan = new Plan(Map.of(), null, null);
        athena = new FakeAthena(plan);
        athena.tables.add("tideline_rebuild_g3");
        Path stale = athena.results.resolve("g3/users/stale");
        Files.createDirectories(stale.getParent());
        Files.writeString(stale, "not Parquet: read, it would fail the fold");

        assertThat(fold(plan)).isEqualTo(expected(plan));
        assertThat(athena.objects()).isEmpty();
    }

    @Test
    void aFailedStatementStopsTheFoldWithAthenasReasonAndWritesNothing() {
        Plan plan = new Plan(Map.of(), null, null);
        athena = new FakeAthena(plan);
        athena.failOn = "UNLOAD";
        List<Write> writes = new ArrayList<>();

        assertThatThrownBy(() -> engine().fold(NEXT, plan, SETTINGS, writes::add))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("HIVE_BAD_DATA");
        assertThat(writes).isEmpty();
    }

    @Test
    void aHandoverIsFoundOnAthenaAsOnDuckDb() throws Exception {
        Map<String, String> bounds = new TreeMap<>();
        RandomArchive.SHARDS.forEach(s -> bounds.put(s, "~"));
        Instant to = stream.get(stream.size() / 2).arrived();
        Plan plan = new Plan(checkpoints(bounds), null, to);
        athena = new FakeAthena(plan);
        Plan onAthena = engine().handOver(NEXT, plan, trimmedNowhere());
        Plan onDuckDb =
                Handover.of(plan, archive, Handover.query(SqlDialect.DUCKDB, "archive", plan), trimmedNowhere());

        assertThat(onAthena).isEqualTo(onDuckDb).isNotEqualTo(plan);
        assertThat(athena.statements).hasSize(1).allSatisfy(s -> assertThat(s).startsWith("UNLOAD"));
        assertThat(athena.objects()).isEmpty();
    }

    private List<Write> fold(Plan plan) throws Exception {
        List<Write> writes = new ArrayList<>();
        engine().fold(NEXT, plan, SETTINGS, writes::add);
        return writes;
    }

    private AthenaFold engine() {
        return new AthenaFold(
                new AthenaFold.Settings("tideline", "events", dir.resolve("work")),
                athena,
                athena,
                AthenaFoldTest::duckDb,
                progress);
    }

    /** The writes of DuckDB over the archive itself. */
    private List<Write> expected(Plan plan) throws SQLException {
        List<Write> writes = new ArrayList<>();
        ArchiveFold fold = ArchiveFold.over(archive, FoldSql.of(SqlDialect.DUCKDB, "archive", plan), SETTINGS);
        fold.pageViews(writes::add);
        fold.users(writes::add);
        return writes;
    }

    /** Checkpoints whose bounds are {@code bounds}. */
    private static Map<String, Plan.Checkpoint> checkpoints(Map<String, String> bounds) {
        Map<String, Plan.Checkpoint> out = new TreeMap<>();
        bounds.keySet().forEach(s -> out.put(s, new Plan.Checkpoint(Plan.SHARD_END, 0)));
        return out;
    }

    /** A stream that still holds every record: its first record after any position is the next one archived. */
    private static StreamPositions trimmedNowhere() {
        return new StreamPositions() {
            @Override
            public List<String> missing(Plan plan) {
                return List.of();
            }

            @Override
            public Instant created() {
                return Instant.EPOCH;
            }

            @Override
            public java.util.Set<String> shards() {
                return java.util.Set.of();
            }

            @Override
            public String firstAfter(String shard, Plan.Checkpoint after) {
                return "0";
            }
        };
    }

    private static Connection duckDb() {
        try {
            return DriverManager.getConnection("jdbc:duckdb:");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Athena's statements and its results location, kept in a directory. Each statement must be the
     * one AthenaFold sends for the plan, with the fold in Athena's dialect; it is answered with the
     * fold in DuckDB's.
     */
    private final class FakeAthena implements AthenaFold.Queries, AthenaFold.Results {

        final List<String> statements = new ArrayList<>();
        final List<String> tables = new ArrayList<>();
        final Path results = dir.resolve("results");
        private final FoldSql onAthena;
        private final FoldSql onDuckDb;
        private final Plan plan;

        @Nullable
        String failOn;

        FakeAthena(Plan plan) {
            this.plan = plan;
            this.onAthena = FoldSql.of(SqlDialect.ATHENA, AthenaFold.source("events", plan.from()), plan);
            this.onDuckDb = FoldSql.of(SqlDialect.DUCKDB, "archive", plan);
        }

        @Override
        public long run(String sql) {
            statements.add(sql);
            if (failOn != null && sql.startsWith(failOn)) {
                throw new IllegalStateException("Athena query q-1 failed: HIVE_BAD_DATA: a file is not Parquet");
            }
            try (Statement s = archive.createStatement()) {
                if (sql.startsWith("DROP TABLE IF EXISTS ")) {
                    String table = sql.substring("DROP TABLE IF EXISTS ".length());
                    tables.remove(table);
                    s.execute("DROP TABLE IF EXISTS " + table);
                } else if (sql.startsWith("CREATE TABLE ")) {
                    String table = sql.split(" ")[2];
                    assertThat(tables).as("a table made twice").doesNotContain(table);
                    assertThat(sql).endsWith(" AS " + onAthena.records());
                    s.execute("CREATE TABLE " + table + " AS " + onDuckDb.records());
                    tables.add(table);
                } else {
                    unload(sql, s);
                }
            } catch (SQLException | IOException e) {
                throw new IllegalStateException(e);
            }
            return 1_234_567;
        }

        private void unload(String sql, Statement s) throws SQLException, IOException {
            assertThat(sql)
                    .startsWith("UNLOAD (SELECT * FROM (")
                    .endsWith("' WITH (format = 'PARQUET', compression = 'ZSTD')");
            String target = sql.substring(sql.lastIndexOf(" TO '") + 5, sql.lastIndexOf("' WITH"));
            assertThat(target).startsWith(location());
            String prefix = target.substring(location().length());
            Path out = results.resolve(prefix);
            assertThat(out).as("UNLOAD needs an empty location").doesNotExist();
            String answer;
            if (prefix.endsWith("/users/")) {
                assertThat(sql).contains(onAthena.users(SETTINGS, tables.get(0)));
                answer = onDuckDb.users(SETTINGS, tables.get(0));
            } else if (prefix.endsWith("/pages/")) {
                assertThat(sql).contains(onAthena.pageViews(tables.get(0)));
                answer = onDuckDb.pageViews(tables.get(0));
            } else {
                assertThat(prefix).endsWith("/handover/");
                assertThat(sql).contains(Handover.query(SqlDialect.ATHENA, "events", plan));
                answer = Handover.query(SqlDialect.DUCKDB, "archive", plan);
            }
            Files.createDirectories(out);
            // Athena writes files without a name ending, and none for no rows.
            s.execute("COPY (" + answer + ") TO '" + out.resolve("part-0") + "' (FORMAT PARQUET)");
            try (Statement count = archive.createStatement();
                    var rows = count.executeQuery("SELECT count(*) FROM (" + answer + ")")) {
                rows.next();
                if (rows.getLong(1) == 0) {
                    Files.delete(out.resolve("part-0"));
                }
            }
        }

        @Override
        public String location() {
            return "s3://results-bucket/athena/";
        }

        @Override
        public void delete(String prefix) {
            Path under = results.resolve(prefix);
            if (!Files.exists(under)) {
                return;
            }
            try (Stream<Path> files = Files.walk(under)) {
                files.sorted((a, b) -> b.compareTo(a)).forEach(p -> {
                    try {
                        Files.delete(p);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public int download(String prefix, Path into) {
            Path under = results.resolve(prefix);
            if (!Files.exists(under)) {
                return 0;
            }
            try (Stream<Path> files = Files.list(under)) {
                List<Path> all = files.toList();
                for (Path f : all) {
                    Files.copy(f, into.resolve(f.getFileName()));
                }
                return all.size();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        List<Path> objects() throws IOException {
            if (!Files.exists(results)) {
                return List.of();
            }
            try (Stream<Path> files = Files.walk(results)) {
                return files.filter(Files::isRegularFile).toList();
            }
        }
    }
}
