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
 *   <li>A user's records go in stream order: by sequence number, then sub-sequence number. The
 *       sequence number, zero-padded to 64 digits, is compared as two 32-digit integers ({@code hi},
 *       {@code lo}), then the sub-sequence number; a record's {@code ord} is its place among its
 *       user's records in that order, and every later step orders by it.
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
 *   <li>Records of an earlier stream of the same name (those that arrived before {@code since},
 *       when set) come before this stream's in each user's order, and are folded whatever the
 *       plan's bounds. A mark (a user's, a minute's, a page's) that would fall on one of them is
 *       position 0 of its shard instead: before every record of this stream, whose positions an
 *       earlier stream's are not comparable with.
 * </ul>
 *
 * {@link #records()} reads the archive once into the records to fold, each flagged {@code applied} or
 * not; {@link #users} and {@link #pageViews} fold a relation holding them (a table made from
 * {@code records()}, so that the archive is read and ordered once for both). The queries run on any
 * engine with window functions and ordered aggregates; what differs is in {@link SqlDialect}.
 */
public final class FoldSql {

    private static final Pattern SHARD_ID = Pattern.compile("[A-Za-z0-9_.-]{1,128}");
    /** A position's string form ({@link #pos}): the sequence number in 64 digits, the sub-sequence number in 20. */
    private static final int SEQUENCE_DIGITS = 64;

    private static final int SUB_DIGITS = 20;
    private static final int HALF = SEQUENCE_DIGITS / 2;
    private static final Pattern BOUND = Pattern.compile("[0-9]{" + (SEQUENCE_DIGITS + SUB_DIGITS) + "}|~");
    private static final long MICROS_PER_MINUTE = 60_000_000L;

    private final SqlDialect sql;
    private final String archived;
    private final String handed;
    private final String records;
    private final String markSeq;
    private final String markSub;
    private final String posPrefix;
    private final boolean earlier;

    /**
     * A fold of an archive that holds one stream's records.
     *
     * @param source a relation with the archive's columns ({@link ArchiveSchema}), e.g. a
     *     {@code read_parquet(...)} or a table
     * @param bounds per shard, the greatest position to fold ({@link Plan#bounds()}): records after
     *     it, and shards not named, are left to the stream; empty to fold every record of the source
     * @param from when set, only records that arrived at or after it are folded
     */
    public FoldSql(SqlDialect sql, String source, Map<String, String> bounds, @Nullable Instant from) {
        this(sql, source, bounds, from, null);
    }

    /** The fold of {@code plan}'s records of {@code source}. */
    public static FoldSql of(SqlDialect sql, String source, Plan plan) {
        return new FoldSql(sql, source, plan.bounds(), plan.from(), plan.since());
    }

    /**
     * @param since when set, records that arrived before it are an earlier stream's ({@link
     *     Plan#since()}): folded whatever the bounds, each user's before this stream's, and their
     *     positions kept as no mark (position 0, before every record of a shard)
     */
    public FoldSql(
            SqlDialect sql,
            String source,
            Map<String, String> bounds,
            @Nullable Instant from,
            @Nullable Instant since) {
        this.sql = sql;
        String padded = "lpad(" + ArchiveSchema.SEQUENCE_NUMBER + ", " + SEQUENCE_DIGITS + ", '0')";
        String arrival = sql.micros(ArchiveSchema.ARRIVAL_TIME);
        // Conditions on the records to fold, and on those a handover reads (this stream's only).
        List<String> folded = new ArrayList<>();
        List<String> handedOver = new ArrayList<>();
        String join = "";
        if (!bounds.isEmpty()) {
            StringJoiner values = new StringJoiner(", ");
            bounds.forEach((shard, end) -> {
                if (!SHARD_ID.matcher(shard).matches() || !BOUND.matcher(end).matches()) {
                    throw new IllegalArgumentException("not a shard's bound: " + shard + " " + end);
                }
                values.add(
                        end.equals("~")
                                ? "('" + shard + "', " + sql.integer("NULL") + ", " + sql.integer("NULL") + ", "
                                        + sql.integer("NULL") + ")"
                                : "('" + shard + "', " + number(end.substring(0, HALF)) + ", "
                                        + number(end.substring(HALF, SEQUENCE_DIGITS)) + ", "
                                        + number(end.substring(SEQUENCE_DIGITS)) + ")");
            });
            String within = "(end_hi IS NULL OR (hi, lo, sub) <= (end_hi, end_lo, end_sub))";
            String ends = " (VALUES " + values + ") AS ends(end_shard, end_hi, end_lo, end_sub) ON "
                    + ArchiveSchema.SHARD_ID + " = end_shard";
            if (since == null) {
                join = " JOIN" + ends;
                folded.add(within);
                handedOver.add(within);
            } else {
                // An earlier stream's records are folded whatever the bounds: its shards are gone.
                join = " LEFT JOIN" + ends;
                folded.add("(earlier OR end_shard IS NOT NULL AND " + within + ")");
                handedOver.add("end_shard IS NOT NULL AND " + within);
            }
        }
        if (since != null) {
            handedOver.add("NOT earlier");
        }
        if (from != null) {
            folded.add("arrival_us >= " + ChronoUnit.MICROS.between(Instant.EPOCH, from));
        }
        this.handed = where(join, handedOver);
        this.archived = "archived AS (SELECT "
                + Fields.USER_ID + " AS user_id, "
                + Fields.EVENT_ID + " AS event_id, "
                + Fields.EVENT_TYPE + " AS event_type, "
                + Fields.PAGE + " AS page, "
                + "coalesce(" + Fields.IS_BOT + ", false) AS bot, "
                + ArchiveSchema.SHARD_ID + " AS shard_id, "
                + ArchiveSchema.SEQUENCE_NUMBER + " AS seq, "
                + ArchiveSchema.SUB_SEQUENCE_NUMBER + " AS sub, "
                + sql.integer("substr(" + padded + ", 1, " + HALF + ")") + " AS hi, "
                + sql.integer("substr(" + padded + ", " + (HALF + 1) + ", " + HALF + ")") + " AS lo, "
                + sql.micros("coalesce(" + Fields.OCCURRED_AT + ", " + Fields.RECEIVED_AT + ")") + " AS at_us, "
                + sql.micros(Fields.RECEIVED_AT) + " AS received_us, "
                + arrival + " AS arrival_us"
                + (since == null
                        ? " "
                        : ", " + arrival + " < " + ChronoUnit.MICROS.between(Instant.EPOCH, since) + " AS earlier ")
                + "FROM " + source + ")";
        String order = since == null ? "hi, lo, sub" : "CASE WHEN earlier THEN 0 ELSE 1 END, hi, lo, sub";
        this.records = "WITH " + archived + ", "
                + "src AS (SELECT archived.*, row_number() OVER (PARTITION BY user_id ORDER BY " + order + ") AS ord"
                + " FROM archived" + where(join, folded) + ") "
                + "SELECT *, row_number() OVER (PARTITION BY user_id, event_id ORDER BY ord) = 1 AS applied FROM src";
        this.markSeq = since == null ? "seq" : "CASE WHEN earlier THEN '0' ELSE seq END";
        this.markSub = since == null ? "sub" : "CASE WHEN earlier THEN 0 ELSE sub END";
        this.posPrefix = since == null ? "" : "CASE WHEN earlier THEN '0' ELSE '1' END || ";
        this.earlier = since != null;
    }

    /** True when {@link #records()} tell an earlier stream's records apart: they have {@code earlier}. */
    public boolean hasEarlier() {
        return earlier;
    }

    private static String where(String join, List<String> conditions) {
        return join + (conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions));
    }

    private String number(String digits) {
        return sql.integer("'" + digits + "'");
    }

    /**
     * The records to fold: {@code user_id, event_id, event_type, page, bot, shard_id, seq, sub, hi,
     * lo, at_us, received_us, arrival_us, ord, applied}, and {@code earlier} after {@code arrival_us}
     * when the fold has a {@code since}.
     */
    public String records() {
        return records;
    }

    /**
     * Per shard of the source within the bounds, whatever the records' arrival ({@code from} does not
     * apply): {@code shard_id}; {@code cut_seq, cut_sub}, the position of the last record that
     * arrived before {@code to} (NULL when none did); {@code next_seq}, the sequence number of the
     * first record after that position (of the shard's first record when none arrived before; NULL
     * when the cut is the shard's last record). With a {@code since}, of this stream's records only:
     * an earlier stream's positions are none of this stream's to hand over at.
     */
    public String handover(Instant to) {
        long before = ChronoUnit.MICROS.between(Instant.EPOCH, to);
        return "WITH " + archived + ", "
                + "r AS (SELECT shard_id, seq, sub, hi, lo, arrival_us FROM archived" + handed + "), "
                + "cut AS (SELECT shard_id, seq, sub, hi, lo FROM (SELECT *, row_number() OVER"
                + " (PARTITION BY shard_id ORDER BY hi DESC, lo DESC, sub DESC) AS n"
                + " FROM r WHERE arrival_us < " + before + ") AS last WHERE n = 1), "
                + "after_cut AS (SELECT shard_id, seq FROM (SELECT r.shard_id, r.seq, row_number() OVER"
                + " (PARTITION BY r.shard_id ORDER BY r.hi, r.lo, r.sub) AS n"
                + " FROM r LEFT JOIN cut ON r.shard_id = cut.shard_id"
                + " WHERE cut.shard_id IS NULL OR (r.hi, r.lo, r.sub) > (cut.hi, cut.lo, cut.sub))"
                + " AS first WHERE n = 1), "
                + "shards AS (SELECT DISTINCT shard_id FROM r) "
                + "SELECT s.shard_id, cut.seq AS cut_seq, cut.sub AS cut_sub, after_cut.seq AS next_seq FROM shards s"
                + " LEFT JOIN cut ON s.shard_id = cut.shard_id"
                + " LEFT JOIN after_cut ON s.shard_id = after_cut.shard_id ORDER BY s.shard_id";
    }

    /**
     * A position as one string that sorts as the stream does: the sequence number zero-padded to 64
     * digits, then the sub-sequence number to 20. Plans' bounds and the page views' first and last
     * touches are spelled so.
     */
    static String pos(Position p) {
        String sequence = p.sequenceNumber();
        String sub = Long.toString(p.subSequence());
        return "0".repeat(Math.max(0, SEQUENCE_DIGITS - sequence.length()))
                + sequence
                + "0".repeat(Math.max(0, SUB_DIGITS - sub.length()))
                + sub;
    }

    /**
     * One row per user, by {@code user_id}: {@code total, first_us, last_us, last_page, sessions,
     * bots, types, counts} (the aggregate), {@code recent_ids, recent_arrivals_us} (the user's last
     * applied ids, oldest first, at most {@code dedupe.maxIds}, each as the dedupe window keeps it:
     * {@link SqlDialect#hash64}), {@code mark_shard, mark_seq, mark_sub} (the user's last record).
     *
     * @param records a relation holding {@link #records()}
     */
    public String users(ApplySettings settings, String records) {
        long gapMicros = settings.sessionGap().toNanos() / 1_000;
        // The relation is named where it is read, not made a CTE of its own: DuckDB would copy a CTE
        // read twice into a table first (most of this query's time, once).
        String applied = "(SELECT * FROM " + records + " WHERE applied) AS applied_rows";
        return "WITH types AS (SELECT user_id, event_type, count(*) AS n, min(ord) AS first_ord"
                + " FROM " + applied + " GROUP BY user_id, event_type)"
                + ", capped AS (SELECT user_id, CASE WHEN row_number() OVER (PARTITION BY user_id ORDER BY first_ord) <= "
                + settings.maxEventTypes() + " THEN event_type ELSE '" + UserActivity.OTHER_TYPES
                + "' END AS event_type, n FROM types)"
                + ", summed AS (SELECT user_id, event_type, sum(n) AS n FROM capped GROUP BY user_id, event_type)"
                + ", type_lists AS (SELECT user_id, " + sql.list("event_type", "event_type") + " AS types, "
                + sql.list("n", "event_type") + " AS counts FROM summed GROUP BY user_id)"
                + ", steps AS (SELECT *, lag(at_us) OVER byOrd AS prev_us, count(*) OVER byUser - row_number() OVER byOrd"
                + " AS after FROM " + applied + " WINDOW byUser AS (PARTITION BY user_id),"
                + " byOrd AS (PARTITION BY user_id ORDER BY ord))"
                + ", activity AS (SELECT user_id, count(*) AS total, "
                + sql.argMin("at_us", "ord") + " AS first_us, "
                + sql.argMax("at_us", "ord") + " AS last_us, "
                + sql.argMax("page", "ord") + " FILTER (WHERE page IS NOT NULL) AS last_page, "
                + "1 + count(*) FILTER (WHERE at_us - prev_us > " + gapMicros + ") AS sessions, "
                + "count(*) FILTER (WHERE bot) AS bots "
                + "FROM steps GROUP BY user_id)"
                + ", recent AS (SELECT user_id, " + sql.list(sql.hash64("event_id"), "ord") + " AS recent_ids, "
                + sql.list("arrival_us", "ord") + " AS recent_arrivals_us FROM steps WHERE after < "
                + settings.dedupe().maxIds() + " GROUP BY user_id)"
                + ", marks AS (SELECT user_id, "
                + sql.argMax("shard_id", "ord") + " AS mark_shard, "
                + sql.argMax(markSeq, "ord") + " AS mark_seq, "
                + sql.argMax(markSub, "ord") + " AS mark_sub FROM " + records + " GROUP BY user_id) "
                + "SELECT a.user_id, total, first_us, last_us, last_page, sessions, bots, types, counts,"
                + " recent_ids, recent_arrivals_us, mark_shard, mark_seq, mark_sub"
                + " FROM activity a JOIN type_lists t ON a.user_id = t.user_id"
                + " JOIN recent r ON a.user_id = r.user_id"
                + " JOIN marks m ON a.user_id = m.user_id ORDER BY a.user_id";
    }

    /**
     * One row per shard, minute and page viewed, by shard, minute and the page's first touch:
     * {@code shard_id, minute_s, page, views, first_pos, last_pos, last_seq, last_sub}.
     *
     * @param records a relation holding {@link #records()}
     */
    public String pageViews(String records) {
        String minute = sql.integerDivide("received_us", MICROS_PER_MINUTE) + " * 60";
        // pos(Position) in SQL: ArchiveFold compares the two
        String pos = posPrefix + "lpad(seq, " + SEQUENCE_DIGITS + ", '0') || lpad(CAST(sub AS VARCHAR), " + SUB_DIGITS
                + ", '0')";
        return "WITH views AS (SELECT shard_id, " + minute + " AS minute_s, page, applied, " + markSeq
                + " AS mark_seq, "
                + markSub + " AS mark_sub, " + pos + " AS pos"
                + " FROM " + records + " WHERE event_type = 'page_view' AND page IS NOT NULL AND NOT bot)"
                + " SELECT shard_id, minute_s, page,"
                + " count(*) FILTER (WHERE applied) AS views, min(pos) AS first_pos, max(pos) AS last_pos, "
                + sql.argMax("mark_seq", "pos") + " AS last_seq, "
                + sql.argMax("mark_sub", "pos") + " AS last_sub"
                + " FROM views GROUP BY shard_id, minute_s, page"
                + " ORDER BY shard_id, minute_s, first_pos";
    }
}
