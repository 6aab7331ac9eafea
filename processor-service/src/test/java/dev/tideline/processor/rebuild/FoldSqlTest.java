package dev.tideline.processor.rebuild;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tideline.model.event.ClickEvent;
import dev.tideline.model.retry.Backoff;
import dev.tideline.model.shard.Position;
import dev.tideline.processor.apply.ApplySettings;
import dev.tideline.processor.apply.DedupeSettings;
import dev.tideline.processor.apply.Mark;
import dev.tideline.processor.apply.UserState;
import dev.tideline.processor.apply.Write;
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

    /** One record of a user's: a page view of {@code page} at {@code at}, which arrived then too. */
    private static ArchiveTable.Row view(String id, String user, String page, String shard, String seq, Instant at) {
        return new ArchiveTable.Row(
                new ClickEvent(id, user, "page_view", page, null, null, null, at, Map.of()),
                shard,
                Position.of(seq, 0),
                at);
    }

    @Test
    void anEarlierStreamsRecordsAreFoldedWholeBeforeThisStreamsAndNoneOfTheirPositionsIsAMark() throws Exception {
        Instant since = T0.plus(Duration.ofMinutes(10));
        List<ArchiveTable.Row> rows = new ArrayList<>();
        // The earlier stream: user a on shard A at positions far above this stream's; user d on a
        // shard this stream does not have, and so not planned.
        for (int i = 0; i < 3; i++) {
            rows.add(view("a" + i, "a", "/old", A, "9900" + i, T0.plus(Duration.ofMinutes(i))));
            rows.add(view("d" + i, "d", "/d", "shardId-000000000009", "7700" + i, T0.plus(Duration.ofMinutes(i))));
        }
        // This stream: a client's retry of a1, a new event, and one after the plan's bound.
        Instant later = since.plus(Duration.ofMinutes(5));
        rows.add(view("a1", "a", "/retried", A, "100", later));
        rows.add(view("a3", "a", "/new", A, "101", later.plusSeconds(1)));
        rows.add(view("a4", "a", "/streamed", A, "102", later.plusSeconds(2)));
        Plan plan = new Plan(Map.of(A, new Plan.Checkpoint("101", 0)), null, null, since);

        Map<String, UserState> users = new TreeMap<>();
        List<Write> pages = new ArrayList<>();
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:")) {
            ArchiveTable.create(duck, rows);
            ArchiveFold fold = ArchiveFold.over(duck, FoldSql.of(SqlDialect.DUCKDB, "archive", plan), SETTINGS);
            fold.users(w -> users.put(w.after().activity().userId(), w.after()));
            fold.pageViews(pages::add);
            try (var s = duck.createStatement();
                    var handover = s.executeQuery(
                            FoldSql.of(SqlDialect.DUCKDB, "archive", plan).handover(later.plusSeconds(1)))) {
                assertThat(handover.next()).isTrue();
                assertThat(handover.getString("shard_id")).isEqualTo(A);
                assertThat(handover.getString("cut_seq"))
                        .as("a handover cuts this stream's records only")
                        .isEqualTo("100");
                assertThat(handover.getString("next_seq")).isEqualTo("101");
                assertThat(handover.next())
                        .as("only this stream's planned shard")
                        .isFalse();
            }
        }

        UserState a = users.get("a");
        assertThat(a.activity().totalEvents())
                .as("a0..a2, then a3; a1's retry once")
                .isEqualTo(4);
        assertThat(a.activity().lastPage())
                .as("this stream's last, whatever the positions")
                .isEqualTo("/new");
        assertThat(a.activity().firstSeen()).isEqualTo(T0);
        assertThat(a.mark()).isEqualTo(new Mark(A, Position.of("101", 0)));
        UserState d = users.get("d");
        assertThat(d.activity().totalEvents()).isEqualTo(3);
        assertThat(d.mark())
                .as("before every record of this stream's shard")
                .isEqualTo(new Mark("shardId-000000000009", Position.of("0", 0)));
        assertThat(pages)
                .filteredOn(w -> w instanceof Write.MinuteViews)
                .extracting(w -> ((Write.MinuteViews) w).after().mark())
                .as("each minute's mark: the earlier stream's minutes have none of its positions")
                .containsExactlyInAnyOrder(
                        Position.of("0", 0),
                        Position.of("0", 0),
                        Position.of("0", 0),
                        Position.of("0", 0),
                        Position.of("0", 0),
                        Position.of("0", 0),
                        Position.of("101", 0));
    }
}
