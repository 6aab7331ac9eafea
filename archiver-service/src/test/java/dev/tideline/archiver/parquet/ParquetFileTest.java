package dev.tideline.archiver.parquet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tideline.model.archive.ArchiveSchema;
import dev.tideline.model.event.ClickEvent;
import dev.tideline.model.event.ClientContext;
import dev.tideline.model.event.Fields;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.io.LocalOutputFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
                Map.of("i", Integer.toString(i)));
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
        Schema now = ArchiveSchema.avro();
        Schema before = Schema.createRecord(
                now.getName(),
                now.getDoc(),
                now.getNamespace(),
                false,
                now.getFields().stream()
                        .takeWhile(f -> !f.name().equals(Fields.USER_AGENT))
                        .map(f -> new Schema.Field(f, f.schema()))
                        .toList());
        assertThat(before.getFields()).hasSize(13);
        try (ParquetWriter<GenericRecord> writer = AvroParquetWriter.<GenericRecord>builder(new LocalOutputFile(old))
                .withSchema(before)
                .withConf(new Configuration(false))
                .build()) {
            for (int i = 0; i < 10; i++) {
                GenericRecord full = ParquetFile.row(record(i));
                GenericData.Record row = new GenericData.Record(before);
                before.getFields().forEach(f -> row.put(f.name(), full.get(f.name())));
                writer.write(row);
            }
        }
        Path current = dir.resolve("new.parquet");
        try (ParquetFile parquet = ParquetFile.create(current, ParquetFile.Codec.ZSTD)) {
            for (int i = 10; i < 30; i++) {
                ArchivedRecord r = record(i);
                ClickEvent e = r.event()
                        .withContext(new ClientContext(
                                "Mozilla/5.0", "192.0.2.0", "Chrome 156", "Linux", "Desktop", i % 2 == 0));
                parquet.write(
                        new ArchivedRecord(e, r.shardId(), r.sequenceNumber(), r.subSequenceNumber(), r.arrivalTime()));
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
    }
}
