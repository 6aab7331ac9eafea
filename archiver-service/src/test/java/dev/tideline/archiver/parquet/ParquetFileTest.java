package dev.tideline.archiver.parquet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tideline.model.archive.ArchiveSchema;
import dev.tideline.model.event.ClickEvent;
import dev.tideline.model.event.ClientContext;
import dev.tideline.model.event.Fields;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Files are only right if an independent engine reads them: DuckDB here. */
class ParquetFileTest {

    @TempDir
    Path dir;

    private static ArchivedRecord record(int i) {
        Instant received = Instant.parse("2026-11-22T10:00:00Z").plusMillis(i);
        ClickEvent e = new ClickEvent(
                UUID.nameUUIDFromBytes(Integer.toString(i).getBytes()).toString(),
                "user-" + (i % 10),
                i % 2 == 0 ? "page_view" : "click",
                i % 3 == 0 ? null : "/p/" + i,
                null,
                "s-" + (i % 4),
                i % 5 == 0 ? null : received.minusSeconds(1),
                received,
                i % 7 == 0 ? Map.of() : Map.of("i", Integer.toString(i), "k", "v"));
        return new ArchivedRecord(e, "shardId-000000000001", "4960" + (1000 + i), i % 3, received.plusMillis(5));
    }

    @Test
    void duckDbReadsEveryRowWithTimestampsWithTimeZoneAndAMapOfStrings() throws Exception {
        Path file = dir.resolve("a.parquet");
        try (ParquetFile parquet = ParquetFile.create(file, ParquetFile.Codec.ZSTD)) {
            for (int i = 0; i < 1_000; i++) {
                parquet.write(record(i));
            }
            assertThat(parquet.rows()).isEqualTo(1_000);
        }

        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
                Statement sql = duck.createStatement()) {
            Map<String, String> types = new HashMap<>();
            try (ResultSet rs = sql.executeQuery("DESCRIBE SELECT * FROM read_parquet('" + file + "')")) {
                while (rs.next()) {
                    types.put(rs.getString("column_name"), rs.getString("column_type"));
                }
            }
            assertThat(types)
                    .containsEntry("occurred_at", "TIMESTAMP WITH TIME ZONE")
                    .containsEntry("received_at", "TIMESTAMP WITH TIME ZONE")
                    .containsEntry("arrival_time", "TIMESTAMP WITH TIME ZONE")
                    .containsEntry("properties", "MAP(VARCHAR, VARCHAR)")
                    .containsEntry("sub_sequence_number", "BIGINT")
                    .containsEntry("is_bot", "BOOLEAN")
                    .hasSize(19);
            try (ResultSet rs = sql.executeQuery("SELECT count(*), count(DISTINCT event_id), count(page),"
                    + " count(occurred_at), max(properties['i']), min(epoch_ms(received_at))"
                    + " FROM read_parquet('" + file + "')")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(1_000);
                assertThat(rs.getLong(2)).isEqualTo(1_000);
                assertThat(rs.getLong(3)).isEqualTo(666);
                assertThat(rs.getLong(4)).isEqualTo(800);
                assertThat(rs.getString(5)).isEqualTo("999");
                assertThat(rs.getLong(6))
                        .isEqualTo(Instant.parse("2026-11-22T10:00:00Z").toEpochMilli());
            }
        }
    }

    @Test
    void aFileOpenedAfterTheBudgetRanOutWritesSmallerRowGroupsWithEveryRow() throws Exception {
        RowGroupBudget budget = new RowGroupBudget(RowGroupBudget.MAX_ROW_GROUP);
        Path file = dir.resolve("small.parquet");
        try (ParquetFile first = ParquetFile.create(dir.resolve("first.parquet"), ParquetFile.Codec.ZSTD, budget);
                ParquetFile small = ParquetFile.create(file, ParquetFile.Codec.ZSTD, budget)) {
            assertThat(first.rowGroupBytes()).isEqualTo(RowGroupBudget.MAX_ROW_GROUP);
            assertThat(small.rowGroupBytes()).isEqualTo(RowGroupBudget.MIN_ROW_GROUP);
            for (int i = 0; i < 20_000; i++) {
                small.write(record(i));
            }
        }
        assertThat(budget.reserved()).isZero();

        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
                Statement sql = duck.createStatement();
                ResultSet rs = sql.executeQuery("SELECT count(*), count(DISTINCT event_id),"
                        + " (SELECT count(DISTINCT row_group_id) FROM parquet_metadata('" + file + "'))"
                        + " FROM read_parquet('" + file + "')")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(20_000);
            assertThat(rs.getLong(2)).isEqualTo(20_000);
            assertThat(rs.getLong(3)).as("row groups of at most 64 KiB").isGreaterThan(5);
        }
    }

    /**
     * The first schema change (docs/ARCHITECTURE.md, "Changing the schema"): files written before the
     * client context existed lack its columns, and a reader that merges by name reads old and new
     * files as one table, the old rows with nulls there.
     */
    @Test
    void filesWrittenBeforeTheContextColumnsReadTogetherWithNewOnes() throws Exception {
        Path old = dir.resolve("old.parquet");
        int before = ArchiveSchema.COLUMNS.indexOf(ArchiveSchema.COLUMNS.stream()
                .filter(c -> c.name().equals(Fields.USER_AGENT))
                .findFirst()
                .orElseThrow());
        assertThat(before).isEqualTo(13);
        try (ParquetFile parquet = ParquetFile.createWithFirstColumns(old, ParquetFile.Codec.ZSTD, before)) {
            for (int i = 0; i < 10; i++) {
                parquet.write(record(i));
            }
        }
        Path current = dir.resolve("new.parquet");
        try (ParquetFile parquet = ParquetFile.create(current, ParquetFile.Codec.ZSTD)) {
            for (int i = 10; i < 30; i++) {
                parquet.write(withContext(record(i), i % 2 == 0));
            }
        }

        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
                Statement sql = duck.createStatement();
                ResultSet rs = sql.executeQuery("SELECT count(*), count(user_agent), count(*) FILTER (is_bot),"
                        + " count(*) FILTER (user_agent IS NULL AND event_id IS NOT NULL), count(DISTINCT event_id)"
                        + " FROM read_parquet(['" + old + "', '" + current + "'], union_by_name = true)")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(30);
            assertThat(rs.getLong(2)).isEqualTo(20);
            assertThat(rs.getLong(3)).isEqualTo(10);
            assertThat(rs.getLong(4)).as("the old rows, whole, with no context").isEqualTo(10);
            assertThat(rs.getLong(5)).isEqualTo(30);
        }
        List<ArchiveRow> oldRows = new ArrayList<>();
        ParquetFile.readRows(old, oldRows::add);
        assertThat(oldRows)
                .containsExactlyElementsOf(IntStream.range(0, 10)
                        .mapToObj(i -> ParquetFile.row(record(i)))
                        .toList());
    }

    /**
     * The service's jar carries no Hadoop, and these tests run as it does: every file in them is
     * written and read back with no Hadoop class there to load.
     */
    @Test
    void noHadoopClassIsThereToLoad() {
        for (String hadoop : List.of(
                "org.apache.hadoop.conf.Configuration", "org.apache.hadoop.mapreduce.lib.input.FileInputFormat")) {
            assertThatThrownBy(() -> Class.forName(hadoop)).isInstanceOf(ClassNotFoundException.class);
        }
    }

    /** The same columns, types and nesting as the files the archiver wrote through parquet-avro. */
    @Test
    void theSchemaIsTheOneTheArchiveAlwaysHad() {
        assertThat(RowSchema.ARCHIVE)
                .isEqualTo(
                        MessageTypeParser.parseMessageType(
                                """
                message dev.tideline.ClickEventRow {
                  required binary event_id (STRING);
                  required binary user_id (STRING);
                  required binary event_type (STRING);
                  optional binary page (STRING);
                  optional binary referrer (STRING);
                  optional binary session_id (STRING);
                  optional int64 occurred_at (TIMESTAMP(MILLIS,true));
                  required int64 received_at (TIMESTAMP(MILLIS,true));
                  required group properties (MAP) {
                    repeated group key_value {
                      required binary key (STRING);
                      required binary value (STRING);
                    }
                  }
                  required binary shard_id (STRING);
                  required binary sequence_number (STRING);
                  required int64 sub_sequence_number;
                  required int64 arrival_time (TIMESTAMP(MILLIS,true));
                  optional binary user_agent (STRING);
                  optional binary ip (STRING);
                  optional binary browser (STRING);
                  optional binary os (STRING);
                  optional binary device_class (STRING);
                  optional boolean is_bot;
                }
                """));
    }

    /**
     * Archives written before the archiver had codecs of its own (parquet-avro 1.18.1, the native
     * ZSTD) read back row for row: the dedupe window is rebuilt from such objects after an upgrade.
     * The file holds the rows of {@link #fixtureRecord} for 0 to 999.
     */
    @Test
    void filesOfTheEarlierWriterReadBackRowForRow() throws Exception {
        Path file = dir.resolve("earlier.parquet");
        try (InputStream in =
                getClass().getResourceAsStream("/parquet/written-by-parquet-avro-1.18.1-zstd-jni.parquet")) {
            Files.copy(Objects.requireNonNull(in), file);
        }
        List<ArchiveRow> rows = new ArrayList<>();
        ParquetFile.readRows(file, rows::add);
        assertThat(rows)
                .containsExactlyElementsOf(IntStream.range(0, 1_000)
                        .mapToObj(i -> ParquetFile.row(fixtureRecord(i)))
                        .toList());

        List<String> ids = new ArrayList<>();
        List<Instant> arrivals = new ArrayList<>();
        ArchivedIds.read(file, (id, arrival) -> {
            ids.add(id);
            arrivals.add(arrival);
        });
        assertThat(ids)
                .containsExactlyElementsOf(IntStream.range(0, 1_000)
                        .mapToObj(i -> fixtureRecord(i).event().eventId())
                        .toList());
        assertThat(arrivals)
                .containsExactlyElementsOf(IntStream.range(0, 1_000)
                        .mapToObj(i -> fixtureRecord(i).arrivalTime())
                        .toList());
    }

    @ParameterizedTest
    @EnumSource(ParquetFile.Codec.class)
    void rowsReadBackAsWrittenAndDuckDbReadsThemToo(ParquetFile.Codec codec) throws Exception {
        Path file = dir.resolve(codec + ".parquet");
        List<ArchiveRow> written = new ArrayList<>();
        try (ParquetFile parquet = ParquetFile.create(file, codec)) {
            for (int i = 0; i < 5_000; i++) {
                ArchiveRow row = ParquetFile.row(fixtureRecord(i));
                parquet.writeRow(row);
                written.add(row);
            }
        }
        List<ArchiveRow> read = new ArrayList<>();
        ParquetFile.readRows(file, read::add);
        assertThat(read).containsExactlyElementsOf(written);

        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
                Statement sql = duck.createStatement();
                ResultSet rs = sql.executeQuery("SELECT count(DISTINCT event_id), count(user_agent),"
                        + " sum(cardinality(properties)), (SELECT DISTINCT compression FROM parquet_metadata('"
                        + file + "')) FROM read_parquet('" + file + "')")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(5_000);
            assertThat(rs.getLong(2)).isEqualTo(2_500);
            assertThat(rs.getLong(3))
                    .isEqualTo(written.stream()
                            .mapToLong(r -> ((Map<?, ?>) r.get(Fields.PROPERTIES)).size())
                            .sum());
            assertThat(rs.getString(4)).isEqualTo(codec.name());
        }
    }

    @Test
    void aRowWithoutARequiredValueIsRefusedNamingTheColumn() {
        try (ParquetFile parquet = ParquetFile.create(dir.resolve("refused.parquet"), ParquetFile.Codec.ZSTD)) {
            ArchiveRow noUser = ParquetFile.row(record(2)).set(Fields.USER_ID, null);
            assertThatThrownBy(() -> parquet.writeRow(noUser))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("the archive's column user_id needs a value");
            assertThat(parquet.rows()).isZero();
        }
    }

    private static ArchivedRecord withContext(ArchivedRecord r, boolean bot) {
        ClickEvent e = r.event()
                .withContext(new ClientContext("Mozilla/5.0", "192.0.2.0", "Chrome 156", "Linux", "Desktop", bot));
        return new ArchivedRecord(e, r.shardId(), r.sequenceNumber(), r.subSequenceNumber(), r.arrivalTime());
    }

    /** Row {@code i} of the earlier writer's file: {@link #record} with a context on odd rows. */
    private static ArchivedRecord fixtureRecord(int i) {
        return i % 2 == 1 ? withContext(record(i), i % 4 == 1) : record(i);
    }
}
