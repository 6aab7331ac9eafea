package dev.tideline.processor.rebuild;

import java.math.BigInteger;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Where a rebuild with {@code --to} hands over from the archive to the stream: per shard, right
 * after the last record that arrived before that time. The fold takes every record up to it and
 * the new generation's consumer every record after, so each is counted once, whatever the order of
 * the records' arrival times. A shard where no record arrived before it is read from its start.
 *
 * <p>The stream must still hold every record after the handover: the first record it answers there
 * must not come after the first one the archive holds there. A stream trimmed past the handover
 * (its retention ran out) answers a later one, and the plan is refused, since records the archive
 * has and the stream has not would be lost to the new generation.
 */
final class Handover {

    private Handover() {}

    /** The query of {@link FoldSql#handover} for {@code plan} over {@code source}, in {@code dialect}. */
    static String query(SqlDialect dialect, String source, Plan plan) {
        Instant to = Objects.requireNonNull(plan.to(), "a plan without --to has no handover");
        return new FoldSql(dialect, source, plan.bounds(), null, plan.since()).handover(to);
    }

    /**
     * {@code plan}, the archiver's checkpoints, made to end at {@code plan.to()} for each shard.
     *
     * @param sql a query on {@code connection} answering {@link #query} for the plan's records: that
     *     query itself, or one reading another engine's answer to it
     * @throws RebuildRefusedException when the stream no longer holds some shard's records after
     *     the handover
     */
    static Plan of(Plan plan, Connection connection, String sql, StreamPositions stream) throws SQLException {
        Instant to = Objects.requireNonNull(plan.to(), "a plan without --to has no handover");
        Map<String, Plan.Checkpoint> checkpoints = new TreeMap<>(plan.checkpoints());
        List<String> trimmed = new ArrayList<>();
        try (Statement s = connection.createStatement();
                ResultSet rows = s.executeQuery(sql)) {
            while (rows.next()) {
                String shard = rows.getString("shard_id");
                String archived = rows.getString("next_seq");
                if (archived == null) {
                    continue; // every planned record arrived before: the archiver's checkpoint stands
                }
                String cutSeq = rows.getString("cut_seq");
                Plan.Checkpoint cut = cutSeq == null
                        ? new Plan.Checkpoint(Plan.TRIM_HORIZON, 0)
                        : new Plan.Checkpoint(cutSeq, rows.getLong("cut_sub"));
                checkpoints.put(shard, cut);
                String streamed = stream.firstAfter(shard, cut);
                if (streamed == null || new BigInteger(streamed).compareTo(new BigInteger(archived)) > 0) {
                    trimmed.add(shard);
                }
            }
        }
        if (!trimmed.isEmpty()) {
            throw new RebuildRefusedException("the stream no longer holds every record of "
                    + String.join(", ", trimmed) + " from the handover at " + to
                    + " on (its retention ran out): a rebuild --to " + to
                    + " would hand over to the stream there and lose the records in between. Choose a later"
                    + " --to, or none: the rebuild then folds the whole archive and the stream only goes on"
                    + " after it.");
        }
        return plan.withCheckpoints(checkpoints);
    }
}
