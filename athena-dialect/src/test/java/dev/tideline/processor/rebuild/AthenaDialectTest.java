package dev.tideline.processor.rebuild;

import static io.trino.testing.TestingSession.testSessionBuilder;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tideline.model.archive.ArchiveSchema;
import dev.tideline.model.archive.Column;
import dev.tideline.processor.apply.ApplySettings;
import io.trino.plugin.memory.MemoryPlugin;
import io.trino.testing.MaterializedRow;
import io.trino.testing.StandaloneQueryRunner;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.StringJoiner;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The rebuild's fold in Athena's dialect ({@link SqlDialect#ATHENA}) on Trino, the engine Athena
 * (engine version 3) runs, against the same fold in DuckDB's dialect on DuckDB, over the same random
 * archives: every row of the records to fold, the users, the page views and the handover must be
 * the same. DuckDB's answers are held to the live fold by processor-service's FoldAgreementTest, so
 * Trino's are too. Trino's session is in a time zone far from UTC, as a test session of Trino's is,
 * which the timestamps must not feel.
 */
class AthenaDialectTest {

    private static final ApplySettings SETTINGS = RandomArchive.SETTINGS;
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

    private static StandaloneQueryRunner trino;

    @BeforeAll
    static void startTrino() {
        trino = new StandaloneQueryRunner(
                testSessionBuilder().setCatalog("memory").setSchema("default").build());
        trino.installPlugin(new MemoryPlugin());
        trino.createCatalog("memory", "memory", Map.of());
    }

    @AfterAll
    static void stopTrino() {
        if (trino != null) {
            trino.close();
        }
    }

    @Test
    void theFoldOnTrinoAnswersWhatItAnswersOnDuckDb() throws SQLException {
        for (long seed = 1; seed <= 8; seed++) {
            Random random = new Random(seed);
            List<ArchiveTable.Row> stream = RandomArchive.stream(random, 50 + random.nextInt(700), seed % 4 == 0);
            assertAgree(stream, Map.of(), null, null, "seed " + seed + ", the whole archive");

            // Bounds in each shard's later half, and --from in the stream's first quarter: a plan that
            // leaves records on both sides.
            Map<String, String> bounds = new TreeMap<>();
            for (String shard : RandomArchive.SHARDS) {
                List<ArchiveTable.Row> mine =
                        stream.stream().filter(r -> r.shard().equals(shard)).toList();
                if (!mine.isEmpty()) {
                    bounds.put(
                            shard,
                            random.nextInt(5) == 0
                                    ? "~"
                                    : FoldSql.pos(
                                            mine.get(mine.size() / 2 + random.nextInt(mine.size() - mine.size() / 2))
                                                    .position()));
                }
            }
            Instant from = stream.get(random.nextInt(stream.size() / 4 + 1)).arrived();
            // Every other seed, the records of the stream's first third taken for an earlier stream's, and
            // one shard left out of the plan: its earlier records are folded all the same.
            Instant since = seed % 2 == 0 ? stream.get(stream.size() / 3).arrived() : null;
            if (since != null) {
                bounds.remove(RandomArchive.SHARDS.get(0));
            }
            assertAgree(
                    stream,
                    bounds,
                    from,
                    since,
                    "seed " + seed + ", bounds " + bounds + " from " + from + ", an earlier stream before " + since);
        }
    }

    private static void assertAgree(
            List<ArchiveTable.Row> stream,
            Map<String, String> bounds,
            @Nullable Instant from,
            @Nullable Instant since,
            String what)
            throws SQLException {
        load(stream);
        // The archive as AthenaFold reads it: with --from, through the days it covers.
        FoldSql athena = new FoldSql(SqlDialect.ATHENA, AthenaFold.source("archive", from), bounds, from, since);
        FoldSql duck = new FoldSql(SqlDialect.DUCKDB, "archive", bounds, from, since);
        Instant to = stream.get(stream.size() / 2).arrived();
        try (Connection duckDb = DriverManager.getConnection("jdbc:duckdb:")) {
            ArchiveTable.create(duckDb, stream);
            trino.execute("CREATE TABLE fold_records AS " + athena.records());
            try (Statement s = duckDb.createStatement()) {
                s.execute("CREATE TABLE fold_records AS " + duck.records());
            }
            assertThat(trino("SELECT * FROM fold_records ORDER BY user_id, ord"))
                    .as("the records to fold, %s", what)
                    .isEqualTo(duckDb(duckDb, "SELECT * FROM fold_records ORDER BY user_id, ord"))
                    .isNotEmpty();
            // What AthenaFold unloads, in its order here (an UNLOAD's files have none; DuckDB sorts them).
            assertThat(trino(AthenaFold.answer(athena.users(SETTINGS, "fold_records")) + " ORDER BY user_id"))
                    .as("the users, %s", what)
                    .isEqualTo(duckDb(duckDb, duck.users(SETTINGS, "fold_records")));
            assertThat(trino(AthenaFold.answer(athena.pageViews("fold_records"))
                            + " ORDER BY shard_id, minute_s, first_pos"))
                    .as("the page views, %s", what)
                    .isEqualTo(duckDb(duckDb, duck.pageViews("fold_records")));
            // A handover reads the whole table, whatever --from is.
            assertThat(trino(AthenaFold.answer(
                                    new FoldSql(SqlDialect.ATHENA, "archive", bounds, null, since).handover(to))
                            + " ORDER BY shard_id"))
                    .as("the handover at %s, %s", to, what)
                    .isEqualTo(duckDb(
                            duckDb, new FoldSql(SqlDialect.DUCKDB, "archive", bounds, null, since).handover(to)));
        } finally {
            trino.execute("DROP TABLE IF EXISTS fold_records");
        }
    }

    /** The table {@code archive} in Trino, with the archive's columns as Athena sees them in Glue. */
    private static void load(List<ArchiveTable.Row> stream) {
        trino.execute("DROP TABLE IF EXISTS archive");
        StringJoiner columns = new StringJoiner(", ");
        List<Column> read = ArchiveSchema.COLUMNS.stream()
                .filter(c -> !c.type().name().equals("STRING_MAP"))
                .toList();
        for (Column c : read) {
            columns.add(c.name() + " " + trinoType(c));
        }
        columns.add("dt VARCHAR"); // the Glue table's partition: the arrival day
        trino.execute("CREATE TABLE archive (" + columns + ")");
        for (int at = 0; at < stream.size(); at += 500) {
            StringJoiner rows = new StringJoiner(", ");
            for (ArchiveTable.Row r : stream.subList(at, Math.min(stream.size(), at + 500))) {
                Map<String, Object> values = ArchiveTable.columns(r);
                StringJoiner row = new StringJoiner(", ", "(", ")");
                read.forEach(c -> row.add(literal(values.get(c.name()))));
                row.add(literal(r.arrived().toString().substring(0, 10)));
                rows.add(row.toString());
            }
            trino.execute("INSERT INTO archive VALUES " + rows);
        }
    }

    private static String trinoType(Column c) {
        switch (c.type()) {
            case BOOLEAN:
                return "BOOLEAN";
            case BIGINT:
                return "BIGINT";
            case TIMESTAMP:
                return "TIMESTAMP(3)";
            default:
                return "VARCHAR";
        }
    }

    private static String literal(Object v) {
        if (v == null) {
            return "NULL";
        }
        if (v instanceof Instant at) {
            return "TIMESTAMP '" + TIMESTAMP.format(LocalDateTime.ofInstant(at, ZoneOffset.UTC)) + "'";
        }
        if (v instanceof String text) {
            return "'" + text.replace("'", "''") + "'";
        }
        return v.toString();
    }

    private static List<List<Object>> trino(String sql) {
        List<List<Object>> rows = new ArrayList<>();
        for (MaterializedRow row : trino.execute(sql).toTestTypes().getMaterializedRows()) {
            List<Object> values = new ArrayList<>();
            row.getFields().forEach(v -> values.add(comparable(v)));
            rows.add(values);
        }
        return rows;
    }

    private static List<List<Object>> duckDb(Connection duckDb, String sql) throws SQLException {
        List<List<Object>> rows = new ArrayList<>();
        try (Statement s = duckDb.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            int n = r.getMetaData().getColumnCount();
            while (r.next()) {
                List<Object> values = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    Object v = r.getObject(i);
                    values.add(comparable(v instanceof Array a ? a.getArray() : v));
                }
                rows.add(values);
            }
        }
        return rows;
    }

    /**
     * A value as both engines' answers can be compared: numbers as their decimal digits (DuckDB sums
     * to 128-bit integers, Trino to 64-bit ones, and a position's halves are decimals in one and
     * 128-bit integers in the other), arrays as lists.
     */
    private static Object comparable(Object v) {
        if (v instanceof Number n) {
            return new java.math.BigDecimal(n.toString()).toBigIntegerExact().toString();
        }
        if (v instanceof Object[] array) {
            return Arrays.stream(array).map(AthenaDialectTest::comparable).toList();
        }
        if (v instanceof List<?> list) {
            return list.stream().map(AthenaDialectTest::comparable).toList();
        }
        return v;
    }
}
