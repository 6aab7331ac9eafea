package dev.tideline.processor.rebuild;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tideline.model.shard.Position;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlanTest {

    private static final String SEQ = "49650000000000000000000000000000000000000119440739";
    private static final Plan PLAN = new Plan(
            Map.of(
                    "shardId-000000000000", new Plan.Checkpoint(SEQ, 3),
                    "shardId-000000000001", new Plan.Checkpoint(Plan.SHARD_END, 0),
                    "shardId-000000000002", new Plan.Checkpoint(Plan.TRIM_HORIZON, 0)),
            null,
            null);

    @Test
    void aPlanReadsBackAsWritten() {
        Plan plan = PLAN;
        assertThat(Plan.decode(plan.encode())).isEqualTo(plan);
        Plan recent = new Plan(plan.checkpoints(), Instant.parse("2026-11-29T06:00:00Z"), null);
        assertThat(Plan.decode(recent.encode())).isEqualTo(recent).isNotEqualTo(plan);
        assertThat(Plan.decode("")).isEqualTo(new Plan(Map.of(), null, null));
        assertThat(Plan.decode(";from=2026-11-29T06:00:00Z").from()).isEqualTo(recent.from());
        Plan window = new Plan(plan.checkpoints(), recent.from(), Instant.parse("2026-11-29T07:00:00Z"));
        assertThat(Plan.decode(window.encode())).isEqualTo(window).isNotEqualTo(recent);
        assertThat(Plan.decode(";to=2026-11-29T07:00:00Z").to()).isEqualTo(window.to());
        Plan recreated = window.withCheckpoints(Map.of()).withCheckpoints(plan.checkpoints());
        assertThat(recreated).isEqualTo(window);
        Plan since = new Plan(plan.checkpoints(), null, window.to(), Instant.parse("2026-11-29T05:30:00Z"));
        assertThat(Plan.decode(since.encode())).isEqualTo(since).isNotEqualTo(window);
        assertThat(Plan.decode(since.encode()).since()).isEqualTo(Instant.parse("2026-11-29T05:30:00Z"));
        assertThat(since.withCheckpoints(Map.of()).since()).isEqualTo(since.since());
        assertThatThrownBy(() -> Plan.decode(";until=2026-11-29T07:00:00Z"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Plan.decode("shardId-0")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aShardIsFoldedUpToItsCheckpointWholeWhenEndedAndNotAtAllWhenNothingWasArchived() {
        Plan plan = PLAN;
        assertThat(plan.bounds())
                .containsExactly(
                        Map.entry("shardId-000000000000", FoldSql.pos(Position.of(SEQ, 3))),
                        Map.entry("shardId-000000000001", "~"));
        // Positions order as numbers, whatever their length, and every bound is after every position.
        assertThat(FoldSql.pos(Position.of("999", 0))).isLessThan(FoldSql.pos(Position.of("1000", 0)));
        assertThat(FoldSql.pos(Position.of(SEQ, 9))).isLessThan(FoldSql.pos(Position.of(SEQ + "0", 0)));
        assertThat(FoldSql.pos(Position.of(SEQ, Long.MAX_VALUE))).isLessThan("~");
    }

    @Test
    void aCheckpointReachesAnotherWhenAtOrAfterIt() {
        var start = new Plan.Checkpoint(Plan.TRIM_HORIZON, 0);
        var end = new Plan.Checkpoint(Plan.SHARD_END, 0);
        var early = new Plan.Checkpoint(SEQ, 1);
        var late = new Plan.Checkpoint(SEQ, 2);
        assertThat(late.reached(early)).isTrue();
        assertThat(late.reached(late)).isTrue();
        assertThat(early.reached(late)).isFalse();
        assertThat(early.reached(start)).isTrue();
        assertThat(start.reached(start)).isTrue();
        assertThat(start.reached(early)).isFalse();
        assertThat(end.reached(late)).isTrue();
        assertThat(late.reached(end)).isFalse();
        assertThat(start.reached(end)).isFalse();
    }

    @Test
    void theNewGenerationHasCaughtUpWhenEveryLiveShardIsReached() {
        var live = Map.of("a", new Plan.Checkpoint(SEQ, 5), "b", new Plan.Checkpoint(Plan.SHARD_END, 0));
        assertThat(Rebuild.reached(
                        live, Map.of("a", new Plan.Checkpoint(SEQ, 5), "b", new Plan.Checkpoint(Plan.SHARD_END, 0))))
                .as("caught up")
                .isEqualTo(live.size());
        assertThat(Rebuild.reached(live, Map.of("a", new Plan.Checkpoint(SEQ, 6))))
                .as("b not reached")
                .isEqualTo(1);
        assertThat(Rebuild.reached(
                        live, Map.of("a", new Plan.Checkpoint(SEQ, 4), "b", new Plan.Checkpoint(Plan.SHARD_END, 0))))
                .as("a not reached")
                .isEqualTo(1);
    }
}
