package dev.tideline.processor.apply;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tideline.model.event.ClickEventCodec;
import dev.tideline.model.shard.Position;
import dev.tideline.model.shard.StreamRecord;
import dev.tideline.processor.rebuild.ArchiveFold;
import dev.tideline.processor.rebuild.ArchiveTable;
import dev.tideline.processor.rebuild.FoldSql;
import dev.tideline.processor.rebuild.RandomArchive;
import dev.tideline.processor.rebuild.SqlDialect;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The rebuild's SQL ({@link FoldSql}, run by DuckDB) and the live fold ({@link ShardApplier}) read the
 * same random streams, and every item they produce must be the same: each user's aggregate, mark
 * and window of ids, each shard's page views per minute and the pages' own items. Streams mix
 * users across two shards, client retries inside the live window, robots, events without a time or
 * a page, KPL aggregates, minutes with more pages than an item takes, types past the limit, and
 * gaps longer than a session.
 */
class FoldAgreementTest {

    private static final ApplySettings SETTINGS = RandomArchive.SETTINGS;
    private static final ClickEventCodec CODEC = new ClickEventCodec();

    @Property(tries = 40)
    void theSqlOverTheArchiveWritesWhatTheLiveFoldWrites(
            @ForAll long seed, @ForAll @IntRange(min = 1, max = 900) int events) throws SQLException {
        Random random = new Random(seed);
        assertAgree(RandomArchive.stream(random, events, random.nextInt(3) == 0), seed);
    }

    @Example
    void pagesPastWhatTheMinutesItemTakesGetItemsOfTheirOwnInBoth() throws SQLException {
        Folded sql = assertAgree(RandomArchive.stream(new Random(7), 1_000, true), 7);
        assertThat(sql.views()).isNotEmpty();
        assertThat(sql.minutes().values().stream().flatMap(m -> m.values().stream()))
                .anySatisfy(m -> assertThat(m.views()).hasSize(ShardMinute.MAX_PAGES));
    }

    /** What the SQL wrote. */
    private record Folded(
            Map<String, UserState> users,
            Map<String, Map<Instant, ShardMinute>> minutes,
            Map<String, Map<PageMinute, Long>> views) {}

    private static Folded assertAgree(List<ArchiveTable.Row> stream, long seed) throws SQLException {

        InMemoryStore live = new InMemoryStore();
        Random batches = new Random(seed);
        for (String shard : RandomArchive.SHARDS) {
            ShardApplier applier = new ShardApplier(shard, live, SETTINGS, new CountingListener(), () -> false);
            List<StreamRecord> records = stream.stream()
                    .filter(s -> s.shard().equals(shard))
                    .map(s -> new StreamRecord(s.position(), s.event().userId(), CODEC.write(s.event()), s.arrived()))
                    .toList();
            for (int from = 0; from < records.size(); ) {
                int to = Math.min(records.size(), from + 1 + batches.nextInt(80));
                assertThat(applier.apply(records.subList(from, to))).isEqualTo(ShardApplier.Outcome.APPLIED);
                from = to;
            }
        }

        Map<String, UserState> users = new TreeMap<>();
        Map<String, Map<Instant, ShardMinute>> minutes = new HashMap<>();
        Map<String, Map<PageMinute, Long>> views = new HashMap<>();
        Map<String, Map<PageMinute, Position>> viewMarks = new HashMap<>();
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:")) {
            ArchiveTable.create(duck, stream);
            ArchiveFold fold =
                    ArchiveFold.over(duck, new FoldSql(SqlDialect.DUCKDB, "archive", Map.of(), null), SETTINGS);
            fold.users(w -> users.put(w.after().activity().userId(), w.after()));
            fold.pageViews(w -> {
                if (w instanceof Write.MinuteViews m) {
                    minutes.computeIfAbsent(m.shardId(), s -> new HashMap<>()).put(m.minute(), m.after());
                } else if (w instanceof Write.PageViews p) {
                    views.computeIfAbsent(p.shardId(), s -> new HashMap<>()).put(p.view(), p.views());
                    viewMarks.computeIfAbsent(p.shardId(), s -> new HashMap<>()).put(p.view(), p.mark());
                }
            });
        }

        assertThat(users).isEqualTo(new TreeMap<>(live.users));
        users.forEach((id, u) -> assertThat(u.recentIds().toBytes())
                .as("the window of %s", id)
                .isEqualTo(live.users.get(id).recentIds().toBytes()));
        assertThat(minutes).isEqualTo(live.minutes);
        assertThat(views).isEqualTo(live.views);
        assertThat(viewMarks).isEqualTo(live.viewMarks);
        return new Folded(users, minutes, views);
    }
}
