package dev.tideline.bench;

import dev.tideline.model.retry.Backoff;
import dev.tideline.processor.apply.ApplySettings;
import dev.tideline.processor.apply.DedupeSettings;
import dev.tideline.processor.rebuild.ArchiveFold;
import dev.tideline.processor.rebuild.FoldSql;
import dev.tideline.processor.rebuild.SqlDialect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code ./tideline bench fold}: the rebuild's SQL fold alone (DuckDB, this machine), over a
 * synthetic archive far larger than the embedded Kinesis can hold: Parquet files with the archive's
 * columns, {@code bench.events} events of {@code bench.users} users on four shards. Prints events
 * folded per second, the seconds per GB of Parquet, and the items per 1,000 events. No item is
 * written: that is the rebuild benchmark's part.
 */
public final class FoldBench {

    private FoldBench() {}

    public static void main(String[] args) throws Exception {
        long events = Long.getLong("bench.events", 5_000_000L);
        long users = Long.getLong("bench.users", 100_000L);
        Path dir = Files.createTempDirectory("tideline-fold-bench");
        ApplySettings settings = new ApplySettings(
                Duration.ofMinutes(30), 256, new DedupeSettings(Duration.ofMinutes(15), 100), 0, Backoff.DEFAULT);
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
                Statement s = duck.createStatement()) {
            System.out.printf("Writing a synthetic archive of %,d events of %,d users...%n", events, users);
            s.execute("COPY (SELECT"
                    + " md5(i::VARCHAR) AS event_id,"
                    + " 'u-' || (hash(i) % " + users + ")::VARCHAR AS user_id,"
                    + " ['page_view','page_view','click','add_to_cart','purchase'][1 + (i % 5)::INT] AS event_type,"
                    + " CASE WHEN i % 7 = 0 THEN NULL ELSE '/p/' || (i % 50)::VARCHAR END AS page,"
                    + " NULL::VARCHAR AS referrer, NULL::VARCHAR AS session_id,"
                    + " TIMESTAMP '2026-11-01 00:00:00' + to_milliseconds(i * 40) AS occurred_at,"
                    + " TIMESTAMP '2026-11-01 00:00:00' + to_milliseconds(i * 40) AS received_at,"
                    + " MAP {}::MAP(VARCHAR, VARCHAR) AS properties,"
                    + " 'shardId-00000000000' || (hash(i) % " + users + " % 4)::VARCHAR AS shard_id,"
                    + " (49650000000000000000000000000000000000 + i)::VARCHAR AS sequence_number,"
                    + " 0::BIGINT AS sub_sequence_number,"
                    + " TIMESTAMP '2026-11-01 00:00:00' + to_milliseconds(i * 40) AS arrival_time,"
                    + " 'Mozilla/5.0' AS user_agent, NULL::VARCHAR AS ip, 'Chrome 130' AS browser,"
                    + " 'Linux' AS os, 'Desktop' AS device_class, (i % 50 = 0) AS is_bot"
                    + " FROM range(" + events + ") t(i))"
                    + " TO '" + dir + "/events' (FORMAT PARQUET, COMPRESSION ZSTD, PER_THREAD_OUTPUT true)");
            long bytes;
            try (var files = Files.walk(dir)) {
                bytes = files.filter(Files::isRegularFile)
                        .mapToLong(f -> f.toFile().length())
                        .sum();
            }
            String source = "read_parquet('" + dir + "/events/*.parquet', union_by_name = true)";
            AtomicLong items = new AtomicLong();
            // The archive is read once, as the fold is made: timed with it, as before.
            long started = System.nanoTime();
            ArchiveFold fold = ArchiveFold.over(duck, new FoldSql(SqlDialect.DUCKDB, source, Map.of(), null), settings);
            fold.users(w -> items.incrementAndGet());
            fold.pageViews(w -> items.incrementAndGet());
            double seconds = (System.nanoTime() - started) / 1e9;
            System.out.println();
            System.out.printf(
                    "| events | users | Parquet | fold | events/s | s per GB of Parquet | items per 1,000 events |%n");
            System.out.printf("|---|---|---|---|---|---|---|%n");
            System.out.printf(
                    "| %,d | %,d | %,.0f MB | %.1f s | %,.0f | %.0f | %.1f |%n",
                    events,
                    users,
                    bytes / 1e6,
                    seconds,
                    events / seconds,
                    seconds / (bytes / 1e9),
                    items.get() * 1000.0 / events);
        }
    }
}
