package dev.tideline.processor.rebuild;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tideline.model.event.ClickEvent;
import dev.tideline.model.retry.Backoff;
import dev.tideline.model.shard.Position;
import dev.tideline.processor.apply.ApplySettings;
import dev.tideline.processor.apply.DedupeSettings;
import dev.tideline.processor.apply.UserState;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** What a rebuild folds: up to each shard's planned checkpoint, nothing of a shard not planned, and from a time on. */
class FoldSqlTest {

    private static final ApplySettings SETTINGS = new ApplySettings(
            Duration.ofMinutes(30), 256, new DedupeSettings(Duration.ofMinutes(15), 100), 0, Backoff.DEFAULT);
    static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");
    private static final String A = "shardId-000000000000";
    private static final String B = "shardId-000000000001";
    private static final String C = "shardId-000000000002";

    /** Five events of user a on shard A, five of b on B, five of c on C, a minute apart. */
    static List<ArchiveTable.Row> rows() {
        List<ArchiveTable.Row> rows = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            for (String[] userShard : new String[][] {{"a", A}, {"b", B}, {"c", C}}) {
                Instant at = T0.plus(Duration.ofMinutes(i));
                rows.add(new ArchiveTable.Row(
                        new ClickEvent(
                                UUID.randomUUID().toString(),
                                userShard[0],
                                "click",
                                null,
                                null,
                                null,
                                null,
                                at,
                                Map.of()),
                        userShard[1],
                        Position.of(String.valueOf(4965000 + i * 10), 0),
                        at));
            }
        }
        return rows;
    }

    private static Map<String, UserState> fold(Map<String, String> bounds, @Nullable Instant from) throws Exception {
        Map<String, UserState> users = new TreeMap<>();
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:")) {
            ArchiveTable.create(duck, rows());
            ArchiveFold.over(duck, new FoldSql(SqlDialect.DUCKDB, "archive", bounds, from), SETTINGS)
                    .users(w -> users.put(w.after().activity().userId(), w.after()));
        }
        return users;
    }

    @Test
    void eachShardIsFoldedUpToItsPlannedCheckpointAndAShardNotPlannedNotAtAll() throws Exception {
        Plan plan = new Plan(
                Map.of(
                        A, new Plan.Checkpoint("4965020", 0),
                        B, new Plan.Checkpoint(Plan.SHARD_END, 0),
                        C, new Plan.Checkpoint(Plan.TRIM_HORIZON, 0)),
                null,
                null);

        Map<String, UserState> users = fold(plan.bounds(), null);

        assertThat(users).containsOnlyKeys("a", "b");
        assertThat(users.get("a").activity().totalEvents()).isEqualTo(3);
        assertThat(users.get("a").mark().position()).isEqualTo(Position.of("4965020", 0));
        assertThat(users.get("b").activity().totalEvents()).isEqualTo(5);
    }

    @Test
    void fromATimeOnlyEventsThatArrivedThenOrLaterAreFolded() throws Exception {
        Map<String, UserState> users = fold(Map.of(), T0.plus(Duration.ofMinutes(3)));

        assertThat(users).containsOnlyKeys("a", "b", "c");
        users.values().forEach(u -> {
            assertThat(u.activity().totalEvents()).isEqualTo(2);
            assertThat(u.activity().firstSeen()).isEqualTo(T0.plus(Duration.ofMinutes(3)));
        });
    }
}
