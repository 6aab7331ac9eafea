package dev.tideline.processor.apply;

import dev.tideline.model.event.ClickEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * One user's real-time aggregate, the hot path's state. Events are applied in the user's stream
 * order, which is the order the client sent them.
 *
 * <p>An event's time is its {@code occurred_at} when the client gave one, else its
 * {@code received_at}. {@code firstSeen} and {@code lastSeen} are the times of the user's first and
 * latest events in stream order; a new session starts when an event comes more than the session gap
 * after the previous one. Immutable.
 *
 * @param eventsByType counts per event type; at most {@code maxEventTypes} distinct types are kept,
 *     the rest are counted under {@link #OTHER_TYPES}, so that no user's item outgrows DynamoDB's
 *     400 KB
 * @param lastPage the page of the latest event that had one
 * @param botEvents how many of {@code totalEvents} came from a robot's user agent, by the context
 *     the ingest service stamped
 */
public record UserActivity(
        String userId,
        long totalEvents,
        SortedMap<String, Long> eventsByType,
        Instant firstSeen,
        Instant lastSeen,
        @Nullable String lastPage,
        long sessions,
        long botEvents) {

    /** Where events of types past the limit are counted; not a valid event type, so it cannot clash. */
    public static final String OTHER_TYPES = "_other";

    public UserActivity {
        Objects.requireNonNull(userId, "userId");
        eventsByType = Collections.unmodifiableSortedMap(new TreeMap<>(eventsByType));
    }

    /** The aggregate of a user whose first event this is. */
    public static UserActivity first(ClickEvent event) {
        Instant at = timeOf(event);
        return new UserActivity(
                event.userId(),
                1,
                new TreeMap<>(java.util.Map.of(event.eventType(), 1L)),
                at,
                at,
                event.page(),
                1,
                event.fromBot() ? 1 : 0);
    }

    /** This aggregate with {@code event}, the user's next event in stream order, applied. */
    public UserActivity plus(ClickEvent event, Duration sessionGap, int maxEventTypes) {
        Instant at = timeOf(event);
        TreeMap<String, Long> types = new TreeMap<>(eventsByType);
        String type =
                types.containsKey(event.eventType()) || types.size() < maxEventTypes ? event.eventType() : OTHER_TYPES;
        types.merge(type, 1L, Long::sum);
        boolean newSession = Duration.between(lastSeen, at).compareTo(sessionGap) > 0;
        return new UserActivity(
                userId,
                totalEvents + 1,
                types,
                firstSeen,
                at,
                event.page() != null ? event.page() : lastPage,
                sessions + (newSession ? 1 : 0),
                botEvents + (event.fromBot() ? 1 : 0));
    }

    /** The time an event counts at: the client's when it gave one, else the server's. */
    public static Instant timeOf(ClickEvent event) {
        Instant at = event.occurredAt() != null ? event.occurredAt() : event.receivedAt();
        if (at == null) {
            throw new IllegalArgumentException("event " + event.eventId() + " has neither occurred_at nor received_at");
        }
        return at;
    }
}
