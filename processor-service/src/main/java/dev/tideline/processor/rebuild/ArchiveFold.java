package dev.tideline.processor.rebuild;

import dev.tideline.model.shard.Position;
import dev.tideline.processor.apply.ApplySettings;
import dev.tideline.processor.apply.Mark;
import dev.tideline.processor.apply.PageMinute;
import dev.tideline.processor.apply.RecentIds;
import dev.tideline.processor.apply.ShardMinute;
import dev.tideline.processor.apply.UserActivity;
import dev.tideline.processor.apply.UserState;
import dev.tideline.processor.apply.Write;
import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Runs {@link FoldSql} on a connection and turns its rows into the writes that create a generation's
 * items: one per user, one per shard and minute with page views, and one per page that does not
 * fit its minute's item. Every write expects the item to be absent. The archive is read once, into
 * a temporary table of the records to fold, which the engine spills to disk when it must; rows are
 * streamed, so the archive may be far larger than memory.
 */
public final class ArchiveFold {

    private static final String RECORDS = "fold_records";

    private final Connection connection;
    private final @Nullable String users;
    private final @Nullable String pageViews;
    private final ApplySettings settings;
    private final long records;
    private final long earlier;

    private ArchiveFold(
            Connection connection,
            @Nullable String users,
            @Nullable String pageViews,
            ApplySettings settings,
            long records,
            long earlier) {
        this.connection = connection;
        this.users = users;
        this.pageViews = pageViews;
        this.settings = settings;
        this.records = records;
        this.earlier = earlier;
    }

    /**
     * Runs {@code sql} on {@code connection}: the records to fold are read once, here, into a
     * temporary table that both of its queries read.
     */
    public static ArchiveFold over(Connection connection, FoldSql sql, ApplySettings settings) throws SQLException {
        long records;
        long earlier;
        try (Statement s = connection.createStatement()) {
            s.execute("CREATE OR REPLACE TEMP TABLE " + RECORDS + " AS " + sql.records());
            try (ResultSet count = s.executeQuery("SELECT count(*), "
                    + (sql.hasEarlier() ? "count(*) FILTER (WHERE earlier)" : "0") + " FROM " + RECORDS)) {
                count.next();
                records = count.getLong(1);
                earlier = count.getLong(2);
            }
        }
        return new ArchiveFold(
                connection, sql.users(settings, RECORDS), sql.pageViews(RECORDS), settings, records, earlier);
    }

    /**
     * Reads answers another engine gave to {@link FoldSql#users} and {@link FoldSql#pageViews}:
     * {@code users} and {@code pageViews} are queries on {@code connection} that return those rows in
     * those orders; null for none.
     */
    public static ArchiveFold answered(
            Connection connection, @Nullable String users, @Nullable String pageViews, ApplySettings settings) {
        return new ArchiveFold(connection, users, pageViews, settings, -1, -1);
    }

    /** The records to fold, read from the archive; -1 when another engine read them ({@link #answered}). */
    public long records() {
        return records;
    }

    /**
     * Of {@link #records()}, those of an earlier stream of the same name ({@link Plan#since()}); -1
     * when another engine read them.
     */
    public long earlierRecords() {
        return earlier;
    }

    /** Hands each user's write to {@code out}, by user id. */
    public void users(Consumer<Write.User> out) throws SQLException {
        if (users == null) {
            return;
        }
        try (Statement s = connection.createStatement();
                ResultSet rows = s.executeQuery(users)) {
            while (rows.next()) {
                out.accept(new Write.User(user(rows), null));
            }
        }
    }

    private UserState user(ResultSet rows) throws SQLException {
        String userId = rows.getString("user_id");
        Object[] types = array(rows.getArray("types"));
        Object[] counts = array(rows.getArray("counts"));
        Map<String, Long> byType = new TreeMap<>();
        for (int i = 0; i < types.length; i++) {
            byType.put((String) types[i], ((Number) counts[i]).longValue());
        }
        UserActivity activity = new UserActivity(
                userId,
                rows.getLong("total"),
                new TreeMap<>(byType),
                micros(rows.getLong("first_us")),
                micros(rows.getLong("last_us")),
                rows.getString("last_page"),
                rows.getLong("sessions"),
                rows.getLong("bots"));
        Object[] ids = array(rows.getArray("recent_ids"));
        Object[] arrivals = array(rows.getArray("recent_arrivals_us"));
        RecentIds recent = RecentIds.empty();
        for (int i = 0; i < ids.length; i++) {
            recent = recent.withHash(
                    ((Number) ids[i]).longValue(), micros(((Number) arrivals[i]).longValue()), settings.dedupe());
        }
        Mark mark = new Mark(
                rows.getString("mark_shard"), Position.of(rows.getString("mark_seq"), rows.getLong("mark_sub")));
        return new UserState(activity, mark, recent);
    }

    /**
     * Hands the page views' writes to {@code out}: for each shard and minute, the minute's item (its
     * pages in the order they first came, as many as it takes, its mark the last view of the
     * minute), then the items of the pages it did not take.
     */
    public void pageViews(Consumer<Write> out) throws SQLException {
        if (pageViews == null) {
            return;
        }
        try (Statement s = connection.createStatement();
                ResultSet rows = s.executeQuery(pageViews)) {
            Minute minute = null;
            while (rows.next()) {
                String shard = rows.getString("shard_id");
                Instant at = Instant.ofEpochSecond(rows.getLong("minute_s"));
                if (minute == null || !minute.is(shard, at)) {
                    if (minute != null) {
                        minute.flush(out);
                    }
                    minute = new Minute(shard, at);
                }
                minute.add(
                        rows.getString("page"),
                        rows.getLong("views"),
                        rows.getString("last_pos"),
                        Position.of(rows.getString("last_seq"), rows.getLong("last_sub")));
            }
            if (minute != null) {
                minute.flush(out);
            }
        }
    }

    private static final class Minute {
        private final String shard;
        private final Instant minute;
        private final Map<String, Long> held = new LinkedHashMap<>();
        private final List<Write.PageViews> own = new ArrayList<>();
        private @Nullable String lastPos;
        private @Nullable Position last;

        Minute(String shard, Instant minute) {
            this.shard = shard;
            this.minute = minute;
        }

        boolean is(String shard, Instant minute) {
            return this.shard.equals(shard) && this.minute.equals(minute);
        }

        void add(String page, long views, String pagePos, Position pageLast) {
            if (ShardMinute.takes(held.size(), page)) {
                held.put(page, views);
            } else {
                own.add(new Write.PageViews(shard, new PageMinute(minute, page), views, null, pageLast));
            }
            if (lastPos == null || pagePos.compareTo(lastPos) > 0) {
                lastPos = pagePos;
                last = pageLast;
            }
        }

        void flush(Consumer<Write> out) {
            if (last != null) {
                out.accept(new Write.MinuteViews(shard, minute, new ShardMinute(last, held), null));
            }
            own.forEach(out);
        }
    }

    private static Object[] array(Array array) throws SQLException {
        try {
            return (Object[]) array.getArray();
        } finally {
            array.free();
        }
    }

    private static Instant micros(long micros) {
        return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
    }
}
