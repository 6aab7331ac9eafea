package dev.tideline.localaws.truth;

import dev.tideline.model.event.ClickEvent;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the aggregates must be, computed from the events a test sent, in each user's send order, by
 * the rules of the contract and nothing of the code under test.
 */
public final class GroundTruth {

    public static final Duration SESSION_GAP = Duration.ofMinutes(30);

    /** One user's expected aggregate. */
    public record User(
            String userId,
            long totalEvents,
            TreeMap<String, Long> eventsByType,
            Instant firstSeen,
            Instant lastSeen,
            String lastPage,
            long sessions,
            long botEvents) {}

    private final Map<String, List<ClickEvent>> byUser = new LinkedHashMap<>();
    private final Set<String> eventIds = new HashSet<>();

    /** Adds events in the order they were sent; one user's must be in that user's order. */
    public synchronized GroundTruth add(List<ClickEvent> events) {
        events.forEach(e -> {
            if (eventIds.add(e.eventId())) {
                byUser.computeIfAbsent(e.userId(), k -> new ArrayList<>()).add(e);
            }
        });
        return this;
    }

    /** Each user's aggregate, with a new session after {@link #SESSION_GAP}. */
    public synchronized Map<String, User> users() {
        return users(SESSION_GAP);
    }

    /** Each user's aggregate, with a new session after {@code sessionGap}. */
    public synchronized Map<String, User> users(Duration sessionGap) {
        Map<String, User> out = new LinkedHashMap<>();
        byUser.forEach((id, events) -> out.put(id, user(id, events, sessionGap)));
        return out;
    }

    public synchronized long events() {
        return byUser.values().stream().mapToLong(List::size).sum();
    }

    /** People's page views per minute of {@code received_at}, per page: a robot's views are not counted. */
    public synchronized Map<Instant, Map<String, Long>> pageViews() {
        Map<Instant, Map<String, Long>> out = new TreeMap<>();
        byUser.values().stream().flatMap(List::stream).forEach(e -> {
            if (e.eventType().equals("page_view") && e.page() != null && !robot(e)) {
                out.computeIfAbsent(e.receivedAt().truncatedTo(ChronoUnit.MINUTES), m -> new TreeMap<>())
                        .merge(e.page(), 1L, Long::sum);
            }
        });
        return out;
    }

    private static User user(String id, List<ClickEvent> events, Duration sessionGap) {
        TreeMap<String, Long> types = new TreeMap<>();
        long sessions = 0;
        Instant previous = null;
        String lastPage = null;
        long bots = 0;
        for (ClickEvent e : events) {
            bots += robot(e) ? 1 : 0;
            types.merge(e.eventType(), 1L, Long::sum);
            Instant at = e.occurredAt() != null ? e.occurredAt() : e.receivedAt();
            if (previous == null || at.isAfter(previous.plus(sessionGap))) {
                sessions++;
            }
            previous = at;
            if (e.page() != null) {
                lastPage = e.page();
            }
        }
        ClickEvent first = events.get(0);
        return new User(
                id,
                events.size(),
                types,
                first.occurredAt() != null ? first.occurredAt() : first.receivedAt(),
                previous,
                lastPage,
                sessions,
                bots);
    }

    private static boolean robot(ClickEvent e) {
        return e.context() != null && e.context().bot();
    }
}
