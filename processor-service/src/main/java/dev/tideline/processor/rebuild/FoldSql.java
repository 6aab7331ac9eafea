package dev.tideline.processor.rebuild;

import dev.tideline.model.archive.ArchiveSchema;
import dev.tideline.model.event.Fields;
import dev.tideline.model.shard.Position;
import dev.tideline.processor.apply.ApplySettings;
import dev.tideline.processor.apply.UserActivity;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The live fold as SQL over the archive: two queries, one row per user and one per shard, minute and
 * page viewed, that say what the apply core would have written after reading the same records.
 *
 * <p>The rules are the apply core's ({@code UserActivity}, {@code UserFold}, {@code PageFold},
 * {@code PageCounts}), restated over sets:
 *
 * <ul>
 *   <li>A user's records go in stream order: by sequence number, then sub-sequence number. A
 *       record's {@code pos} is both, zero-padded, so that one string comparison orders them.
 *   <li>An event is applied when it is the first of its user's records with its {@code event_id}.
 *       The live fold remembers a user's ids for a window (the last 100, or 15 minutes); the
 *       archive already left out a shard's repeats within 15 minutes; the rebuild counts an id once
 *       over the whole history. They agree wherever the live window held the repeat.
 *   <li>Types are kept in the order they first came, up to the limit; later ones count under
 *       {@link UserActivity#OTHER_TYPES}. A new session starts when an applied event comes more
 *       than the gap after the one before it, by the event's time ({@code occurred_at}, else
 *       {@code received_at}).
 *   <li>A page view is a {@code page_view} with a page, not a robot's, in the minute of its
 *       {@code received_at}; duplicates touch a page's count without adding to it.
 * </ul>
 *
 * The queries run on any engine with window functions and ordered aggregates; what differs is in
 * {@link SqlDialect}.
 */
public final class FoldSql {

    private static final Pattern SHARD_ID = Pattern.compile("[A-Za-z0-9_.-]{1,128}");
    private static final Pattern BOUND = Pattern.compile("[0-9]{84}|~");
    private static final long MICROS_PER_MINUTE = 60_000_000L;

    private final SqlDialect sql;
    private final String flagged;

    /**
     * @param source a relation with the archive's columns ({@link ArchiveSchema}), e.g. a
     *     {@code read_parquet(...)} or a table
     * @param bounds per shard, the greatest position to fold ({@link Plan#bounds()}): records after
     *     it, and shards not named, are left to the stream; empty to fold every record of the source
     * @param from when set, only records that arrived at or after it are folded
     */
    public FoldSql(SqlDialect sql, String source, Map<String, String> bounds, @Nullable Instant from) {
        this.sql = sql;
        String pos = "lpad(" + ArchiveSchema.SEQUENCE_NUMBER + ", 64, '0') || lpad(CAST("
                + ArchiveSchema.SUB_SEQUENCE_NUMBER + " AS VARCHAR), 20, '0')";
        List<String> conditions = new ArrayList<>();
        String join = "";
        if (!bounds.isEmpty()) {
            StringJoiner values = new StringJoiner(", ");
            bounds.forEach((shard, end) -> {
                if (!SHARD_ID.matcher(shard).matches() || !BOUND.matcher(end).matches()) {
                    throw new IllegalArgumentException("not a shard's bound: " + shard + " " + end);
                }
                values.add("('" + shard + "', '" + end + "')");
            });
            join = " JOIN (VALUES " + values + ") AS ends(end_shard, end_pos) ON " + ArchiveSchema.SHARD_ID
                    + " = end_shard";
            conditions.add(pos + " <= end_pos");
        }
        if (from != null) {
            conditions.add(
                    sql.micros(ArchiveSchema.ARRIVAL_TIME) + " >= " + ChronoUnit.MICROS.between(Instant.EPOCH, from));
        }
        String where = join + (conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions));
        this.flagged = "WITH src AS (SELECT "
                + Fields.USER_ID + " AS user_id, "
                + Fields.EVENT_ID + " AS event_id, "
                + Fields.EVENT_TYPE + " AS event_type, "
                + Fields.PAGE + " AS page, "
                + "coalesce(" + Fields.IS_BOT + ", false) AS bot, "
                + ArchiveSchema.SHARD_ID + " AS shard_id, "
                + ArchiveSchema.SEQUENCE_NUMBER + " AS seq, "
                + ArchiveSchema.SUB_SEQUENCE_NUMBER + " AS sub, "
                + pos + " AS pos, "
                + sql.micros("coalesce(" + Fields.OCCURRED_AT + ", " + Fields.RECEIVED_AT + ")") + " AS at_us, "
                + sql.micros(Fields.RECEIVED_AT) + " AS received_us, "
                + sql.micros(ArchiveSchema.ARRIVAL_TIME) + " AS arrival_us "
                + "FROM " + source + where + "), "
                + "flagged AS (SELECT *, row_number() OVER (PARTITION BY user_id, event_id ORDER BY pos) = 1"
                + " AS applied FROM src)";
    }

    /** A position as the query's {@code pos}. */
    static String pos(Position p) {
        return "0".repeat(Math.max(0, 64 - p.sequenceNumber().length()))
                + p.sequenceNumber()
                + "0".repeat(Math.max(0, 20 - Long.toString(p.subSequence()).length()))
                + p.subSequence();
    }

    /**
     * One row per user, by {@code user_id}: {@code total, first_us, last_us, last_page, sessions,
     * bots, types, counts} (the aggregate), {@code recent_ids, recent_arrivals_us} (the user's last
     * applied ids, oldest first, at most {@code dedupe.maxIds}), {@code mark_shard, mark_seq,
     * mark_sub} (the user's last record).
     */
    public String users(ApplySettings settings) {
        long gapMicros = settings.sessionGap().toNanos() / 1_000;
        return flagged
                + ", applied_rows AS (SELECT * FROM flagged WHERE applied)"
                + ", types AS (SELECT user_id, event_type, count(*) AS n, min(pos) AS first_pos"
                + " FROM applied_rows GROUP BY user_id, event_type)"
                + ", capped AS (SELECT user_id, CASE WHEN row_number() OVER (PARTITION BY user_id ORDER BY first_pos) <= "
                + settings.maxEventTypes() + " THEN event_type ELSE '" + UserActivity.OTHER_TYPES
                + "' END AS event_type, n FROM types)"
                + ", summed AS (SELECT user_id, event_type, sum(n) AS n FROM capped GROUP BY user_id, event_type)"
                + ", type_lists AS (SELECT user_id, " + sql.list("event_type", "event_type") + " AS types, "
                + sql.list("n", "event_type") + " AS counts FROM summed GROUP BY user_id)"
                + ", steps AS (SELECT *, lag(at_us) OVER (PARTITION BY user_id ORDER BY pos) AS prev_us,"
                + " row_number() OVER (PARTITION BY user_id ORDER BY pos DESC) AS from_end FROM applied_rows)"
                + ", activity AS (SELECT user_id, count(*) AS total, "
                + sql.argMin("at_us", "pos") + " AS first_us, "
                + sql.argMax("at_us", "pos") + " AS last_us, "
                + sql.argMax("page", "pos") + " FILTER (WHERE page IS NOT NULL) AS last_page, "
                + "1 + count(*) FILTER (WHERE at_us - prev_us > " + gapMicros + ") AS sessions, "
                + "count(*) FILTER (WHERE bot) AS bots, "
                + sql.list("event_id", "pos") + " FILTER (WHERE from_end <= "
                + settings.dedupe().maxIds()
                + ") AS recent_ids, "
                + sql.list("arrival_us", "pos") + " FILTER (WHERE from_end <= "
                + settings.dedupe().maxIds()
                + ") AS recent_arrivals_us "
                + "FROM steps GROUP BY user_id)"
                + ", marks AS (SELECT user_id, "
                + sql.argMax("shard_id", "pos") + " AS mark_shard, "
                + sql.argMax("seq", "pos") + " AS mark_seq, "
                + sql.argMax("sub", "pos") + " AS mark_sub FROM flagged GROUP BY user_id) "
                + "SELECT a.user_id, total, first_us, last_us, last_page, sessions, bots, types, counts,"
                + " recent_ids, recent_arrivals_us, mark_shard, mark_seq, mark_sub"
                + " FROM activity a JOIN type_lists t ON a.user_id = t.user_id"
                + " JOIN marks m ON a.user_id = m.user_id ORDER BY a.user_id";
    }

    /**
     * One row per shard, minute and page viewed, by shard, minute and the page's first touch:
     * {@code shard_id, minute_s, page, views, first_pos, last_pos, last_seq, last_sub}.
     */
    public String pageViews() {
        String minute = sql.integerDivide("received_us", MICROS_PER_MINUTE) + " * 60";
        return flagged
                + " SELECT shard_id, " + minute + " AS minute_s, page,"
                + " count(*) FILTER (WHERE applied) AS views, min(pos) AS first_pos, max(pos) AS last_pos, "
                + sql.argMax("seq", "pos") + " AS last_seq, "
                + sql.argMax("sub", "pos") + " AS last_sub"
                + " FROM flagged WHERE event_type = 'page_view' AND page IS NOT NULL AND NOT bot"
                + " GROUP BY shard_id, " + minute + ", page"
                + " ORDER BY shard_id, minute_s, first_pos";
    }
}
