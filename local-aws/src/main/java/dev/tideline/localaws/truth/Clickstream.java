package dev.tideline.localaws.truth;

import dev.tideline.model.event.ClickEvent;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * A synthetic, reproducible clickstream: users interleaved, each user's clock moving forward by a
 * few seconds to an hour between events, so that sessions start and continue, some events without
 * {@code occurred_at}, some without a page.
 */
public final class Clickstream {

    private static final String[] TYPES = {"page_view", "page_view", "page_view", "click", "add_to_cart", "purchase"};

    private final Random random;
    private final int users;
    private final String prefix;
    private final Map<String, Instant> clocks = new HashMap<>();
    private final Instant start;

    public Clickstream(long seed, int users, String prefix) {
        this.random = new Random(seed);
        this.users = users;
        this.prefix = prefix;
        this.start = Instant.parse("2026-11-01T08:00:00Z");
    }

    /** The next {@code count} events, received now. */
    public List<ClickEvent> next(int count) {
        // To the millisecond, as the archive keeps times.
        Instant received = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        List<ClickEvent> events = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String user = prefix + random.nextInt(users);
            Instant clock = clocks.getOrDefault(user, start);
            // Mostly seconds apart, sometimes past the 30-minute session gap.
            long step = random.nextInt(10) == 0 ? 1_800 + random.nextInt(3_600) : 1 + random.nextInt(600);
            clock = clock.plus(Duration.ofSeconds(step));
            clocks.put(user, clock);
            String type = TYPES[random.nextInt(TYPES.length)];
            String page = random.nextInt(8) == 0 ? null : "/p/" + random.nextInt(25);
            Instant occurred = random.nextInt(10) == 0 ? null : clock;
            events.add(new ClickEvent(
                    UUID.randomUUID().toString(),
                    user,
                    type,
                    page,
                    null,
                    null,
                    occurred,
                    received,
                    Map.of("n", Integer.toString(i))));
        }
        return events;
    }
}
