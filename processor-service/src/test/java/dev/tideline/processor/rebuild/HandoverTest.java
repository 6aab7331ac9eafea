package dev.tideline.processor.rebuild;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * Where a rebuild --to hands over to the stream, over {@link FoldSqlTest}'s archive (per shard, five
 * records a minute apart, at 4965000, 4965010, ... 4965040), and when the stream no longer holds
 * what follows.
 */
class HandoverTest {

    private static final String A = "shardId-000000000000";
    private static final String B = "shardId-000000000001";
    private static final String C = "shardId-000000000002";
    private static final Plan ARCHIVED = new Plan(
            Map.of(
                    A, new Plan.Checkpoint("4965030", 0),
                    B, new Plan.Checkpoint(Plan.SHARD_END, 0),
                    C, new Plan.Checkpoint(Plan.TRIM_HORIZON, 0)),
            null,
            null);

    /** The stream as a fake: per shard and position asked, the first record it answers after. */
    private static final class Stream implements StreamPositions {
        final Map<String, String> next = new TreeMap<>();

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
        public @Nullable String firstAfter(String shard, Plan.Checkpoint after) {
            return next.get(shard + "@" + after.sequence());
        }
    }

    private static Plan handover(Instant to, Stream stream) throws Exception {
        return handover(to, null, stream);
    }

    private static Plan handover(Instant to, @Nullable Instant since, Stream stream) throws Exception {
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:")) {
            ArchiveTable.create(duck, FoldSqlTest.rows());
            Plan plan = new Plan(ARCHIVED.checkpoints(), null, to, since);
            return Handover.of(plan, duck, Handover.query(SqlDialect.DUCKDB, "archive", plan), stream);
        }
    }

    @Test
    void afterTheStreamWasCreatedAgainOnlyItsOwnRecordsAreCutAndTheCreationIsKept() throws Exception {
        Stream stream = new Stream();
        stream.next.put(A + "@" + Plan.TRIM_HORIZON, "4965020");
        stream.next.put(B + "@" + Plan.TRIM_HORIZON, "4965020");
        stream.next.put(A + "@4965010", "4965020");
        stream.next.put(B + "@4965010", "4965020");
        // The records of the first two minutes are an earlier stream's; none of this one's came before --to.
        Instant since = FoldSqlTest.T0.plus(Duration.ofSeconds(90));

        Plan plan = handover(FoldSqlTest.T0.plus(Duration.ofSeconds(100)), since, stream);

        assertThat(plan.checkpoints())
                .containsEntry(A, new Plan.Checkpoint(Plan.TRIM_HORIZON, 0))
                .containsEntry(B, new Plan.Checkpoint(Plan.TRIM_HORIZON, 0));
        assertThat(plan.since()).isEqualTo(since);
        assertThat(handover(FoldSqlTest.T0.plus(Duration.ofSeconds(100)), stream)
                        .checkpoints())
                .as("without it, the earlier stream's records would be cut at")
                .doesNotContainEntry(A, new Plan.Checkpoint(Plan.TRIM_HORIZON, 0));
    }

    @Test
    void eachShardIsHandedOverAfterItsLastRecordThatArrivedBeforeTheTime() throws Exception {
        Stream stream = new Stream();
        stream.next.put(A + "@4965020", "4965030");
        stream.next.put(B + "@4965020", "4965030");

        Plan plan = handover(FoldSqlTest.T0.plus(Duration.ofSeconds(150)), stream);

        assertThat(plan.checkpoints())
                .containsEntry(A, new Plan.Checkpoint("4965020", 0))
                .containsEntry(B, new Plan.Checkpoint("4965020", 0))
                // nothing of C is planned: it stays the stream's from its start
                .containsEntry(C, new Plan.Checkpoint(Plan.TRIM_HORIZON, 0));
        assertThat(plan.to()).isEqualTo(FoldSqlTest.T0.plus(Duration.ofSeconds(150)));
    }

    @Test
    void aShardWithNothingBeforeTheTimeIsReadFromItsStartWhichTheStreamMustStillHold() throws Exception {
        Stream stream = new Stream();
        stream.next.put(A + "@" + Plan.TRIM_HORIZON, "4965000");
        stream.next.put(B + "@" + Plan.TRIM_HORIZON, "4965000");
        Instant early = FoldSqlTest.T0.minus(Duration.ofMinutes(1));

        assertThat(handover(early, stream).checkpoints())
                .containsEntry(A, new Plan.Checkpoint(Plan.TRIM_HORIZON, 0))
                .containsEntry(B, new Plan.Checkpoint(Plan.TRIM_HORIZON, 0));

        // B trimmed: its oldest record the stream answers is the archive's second.
        stream.next.put(B + "@" + Plan.TRIM_HORIZON, "4965010");
        assertThatThrownBy(() -> handover(early, stream))
                .isInstanceOf(RebuildRefusedException.class)
                .hasMessageContaining("no longer holds every record of " + B + " from the handover")
                .hasMessageNotContaining(A);
    }

    @Test
    void aStreamThatLostTheRecordsAfterTheHandoverOrAnswersNoneIsRefused() throws Exception {
        Stream stream = new Stream();
        stream.next.put(A + "@4965020", "4965040");
        Instant to = FoldSqlTest.T0.plus(Duration.ofSeconds(150));

        assertThatThrownBy(() -> handover(to, stream))
                .isInstanceOf(RebuildRefusedException.class)
                .hasMessageContaining(A + ", " + B)
                .hasMessageContaining("--to " + to);
    }

    @Test
    void aTimeAfterEveryArchivedRecordKeepsTheArchiversCheckpointsAndAsksTheStreamNothing() throws Exception {
        Plan plan = handover(FoldSqlTest.T0.plus(Duration.ofHours(1)), new Stream());

        assertThat(plan.checkpoints()).isEqualTo(ARCHIVED.checkpoints());
    }
}
