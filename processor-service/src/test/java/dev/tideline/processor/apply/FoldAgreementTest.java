package dev.tideline.processor.apply;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tideline.model.event.ClickEvent;
import dev.tideline.model.event.ClickEventCodec;
import dev.tideline.model.event.ClientContext;
import dev.tideline.model.retry.Backoff;
import dev.tideline.model.shard.Position;
import dev.tideline.model.shard.StreamRecord;
import dev.tideline.processor.rebuild.ArchiveFold;
import dev.tideline.processor.rebuild.ArchiveTable;
import dev.tideline.processor.rebuild.FoldSql;
import dev.tideline.processor.rebuild.SqlDialect;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
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

    private static final List<String> SHARDS = List.of("shardId-000000000000", "shardId-000000000001");
    private static final String[] TYPES = {
        "page_view", "page_view", "page_view", "click", "search", "add_to_cart", "purchase", "share", "rate"
    };
    private static final ApplySettings SETTINGS = new ApplySettings(
            Duration.ofMinutes(3),
            4,
            new DedupeSettings(Duration.ofMinutes(10), 6),
            0,
            new Backoff(Duration.ofMillis(1), Duration.ofMillis(2)));
    private static final ClickEventCodec CODEC = new ClickEventCodec();

    @Property(tries = 40)
    void theSqlOverTheArchiveWritesWhatTheLiveFoldWrites(
            @ForAll long seed, @ForAll @IntRange(min = 1, max = 900) int events) throws SQLException {
        Random random = new Random(seed);
        assertAgree(stream(random, events, random.nextInt(3) == 0), seed);
    }

    @Example
    void pagesPastWhatTheMinutesItemTakesGetItemsOfTheirOwnInBoth() throws SQLException {
        Folded sql = assertAgree(stream(new Random(7), 1_000, true), 7);
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
        for (String shard : SHARDS) {
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
            ArchiveFold fold = new ArchiveFold(
                    duck,
                    new FoldSql(SqlDialect.DUCKDB, "archive", Map.of(), null),
                    new ApplySettings(
                            Duration.ofMinutes(3),
                            4,
                            new DedupeSettings(Duration.ofMinutes(10), 6),
                            0,
                            SETTINGS.backoff()));
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

    /**
     * A stream of {@code count} records: users on two shards; each user's clock moving by seconds
     * to minutes (sometimes past the session gap); retries of one of the user's last few events a
     * little later; some records sharing a sequence number as a KPL aggregate.
     */
    private static List<ArchiveTable.Row> stream(Random random, int count, boolean burst) {
        // A burst: one or two users viewing more pages in a minute than its item takes.
        int userCount = burst ? 1 + random.nextInt(2) : 1 + random.nextInt(8);
        int pagePool = burst ? 2_000 : 6;
        count += burst ? 600 : 0;
        Instant received = Instant.parse("2026-11-20T10:00:00Z");
        Map<String, BigInteger> sequences = new HashMap<>();
        Map<String, Integer> subs = new HashMap<>();
        Map<String, List<ClickEvent>> recent = new HashMap<>();
        Map<String, Instant> clocks = new HashMap<>();
        List<ArchiveTable.Row> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int u = random.nextInt(userCount);
            String user = "u" + u;
            String shard = SHARDS.get(u % SHARDS.size());
            received = received.plusMillis(
                    burst
                            ? random.nextInt(60)
                            : random.nextInt(4) == 0 ? 1 + random.nextInt(90_000) : random.nextInt(900));
            List<ClickEvent> mine = recent.computeIfAbsent(user, k -> new ArrayList<>());
            ClickEvent event;
            ClickEvent original = mine.isEmpty() ? null : mine.get(Math.max(0, mine.size() - 1 - random.nextInt(3)));
            // A retry the live window still holds: one of the user's last three events, minutes later at most.
            if (original != null
                    && Duration.between(original.receivedAt(), received).compareTo(Duration.ofMinutes(9)) < 0
                    && random.nextInt(6) == 0) {
                event = withReceived(original, received);
            } else {
                Instant clock = clocks.getOrDefault(user, Instant.parse("2026-11-20T09:00:00Z"));
                clock = clock.plusMillis(
                        random.nextInt(5) == 0 ? 170_000 + random.nextInt(30_000) : random.nextInt(60_000));
                clocks.put(user, clock);
                String type = burst && random.nextInt(10) > 0 ? "page_view" : TYPES[random.nextInt(TYPES.length)];
                String page = random.nextInt(7) == 0 ? null : "/p/" + random.nextInt(pagePool);
                Instant occurred = random.nextInt(8) == 0 ? null : clock;
                ClientContext context = random.nextInt(10) == 0
                        ? new ClientContext("bot", null, null, null, "Robot", true)
                        : random.nextBoolean() ? null : new ClientContext("ua", null, null, null, "Desktop", false);
                event = new ClickEvent(
                        UUID.randomUUID().toString(),
                        user,
                        type,
                        page,
                        null,
                        null,
                        occurred,
                        received,
                        Map.of(),
                        context);
                mine.add(event);
                if (mine.size() > 4) {
                    mine.remove(0);
                }
            }
            boolean aggregated = subs.getOrDefault(shard, 0) > 0 && random.nextInt(3) > 0;
            int sub = aggregated ? subs.get(shard) : 0;
            BigInteger sequence = aggregated
                    ? sequences.get(shard)
                    : sequences
                            .getOrDefault(shard, new BigInteger("49650000000000000000000000000000000000000000000000"))
                            .add(BigInteger.valueOf(1 + random.nextInt(1_000_000)));
            sequences.put(shard, sequence);
            subs.put(shard, sub + 1);
            out.add(new ArchiveTable.Row(
                    event, shard, new Position(sequence, aggregated ? sub : 0), received.plusMillis(40)));
            if (!aggregated) {
                subs.put(shard, random.nextBoolean() ? 1 : 0);
            }
        }
        return out;
    }

    private static ClickEvent withReceived(ClickEvent e, Instant received) {
        return new ClickEvent(
                e.eventId(),
                e.userId(),
                e.eventType(),
                e.page(),
                e.referrer(),
                e.sessionId(),
                e.occurredAt(),
                received,
                e.properties(),
                e.context());
    }
}
