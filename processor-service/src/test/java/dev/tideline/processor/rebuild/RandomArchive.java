package dev.tideline.processor.rebuild;

import dev.tideline.model.event.ClickEvent;
import dev.tideline.model.event.ClientContext;
import dev.tideline.model.retry.Backoff;
import dev.tideline.model.shard.Position;
import dev.tideline.processor.apply.ApplySettings;
import dev.tideline.processor.apply.DedupeSettings;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * Random streams as the archive holds them, for holding the folds to one another: the live fold and
 * the SQL on DuckDB, and the SQL on DuckDB and on Trino (Athena's engine).
 */
public final class RandomArchive {

    /**
     * The rules the random streams are folded under: a session gap, a limit of event types and a
     * window of recent ids small enough that the streams cross each of them often.
     */
    public static final ApplySettings SETTINGS = new ApplySettings(
            Duration.ofMinutes(3),
            4,
            new DedupeSettings(Duration.ofMinutes(10), 6),
            0,
            new Backoff(Duration.ofMillis(1), Duration.ofMillis(2)));

    /** The shards the users are spread over. */
    public static final List<String> SHARDS = List.of("shardId-000000000000", "shardId-000000000001");

    private static final String[] TYPES = {
        "page_view", "page_view", "page_view", "click", "search", "add_to_cart", "purchase", "share", "rate"
    };

    private RandomArchive() {}

    /**
     * A stream of {@code count} records: users on two shards; each user's clock moving by seconds
     * to minutes (sometimes past the session gap); retries of one of the user's last few events a
     * little later; some records sharing a sequence number as a KPL aggregate.
     */
    public static List<ArchiveTable.Row> stream(Random random, int count, boolean burst) {
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
