package dev.tideline.model.event;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One clickstream event as it travels on the stream.
 *
 * <p>Instances are only made by {@link ClickEventCodec}, which enforces the rules of the event
 * contract, or by {@link #withReceivedAt}. Optional fields are {@code null} when absent;
 * {@code properties} is never null and is unmodifiable. Instances are immutable and thread-safe.
 *
 * @param eventId UUID in canonical lower-case form; assigned by the server when the client sent none
 * @param userId the Kinesis partition key, 1 to 256 characters
 * @param receivedAt server clock at ingest; {@code null} only before the ingest service stamps it
 * @param context the client as the ingest service saw it; {@code null} before it stamps it, and in
 *     events ingested before contexts existed
 */
public record ClickEvent(
        String eventId,
        String userId,
        String eventType,
        @Nullable String page,
        @Nullable String referrer,
        @Nullable String sessionId,
        @Nullable Instant occurredAt,
        @Nullable Instant receivedAt,
        Map<String, String> properties,
        @Nullable ClientContext context) {

    /** An event without a client context. */
    public ClickEvent(
            String eventId,
            String userId,
            String eventType,
            @Nullable String page,
            @Nullable String referrer,
            @Nullable String sessionId,
            @Nullable Instant occurredAt,
            @Nullable Instant receivedAt,
            Map<String, String> properties) {
        this(eventId, userId, eventType, page, referrer, sessionId, occurredAt, receivedAt, properties, null);
    }

    public ClickEvent {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(eventType, "eventType");
        properties = properties == null ? Map.of() : properties;
    }

    /** This event as stamped by the ingest service on arrival. */
    public ClickEvent withReceivedAt(Instant at) {
        return new ClickEvent(
                eventId, userId, eventType, page, referrer, sessionId, occurredAt, at, properties, context);
    }

    /** This event with the client's context, as the ingest service saw it. */
    public ClickEvent withContext(@Nullable ClientContext client) {
        return new ClickEvent(
                eventId, userId, eventType, page, referrer, sessionId, occurredAt, receivedAt, properties, client);
    }

    /** Whether the event came from a robot, by its stamped context; false when it has none. */
    public boolean fromBot() {
        return context != null && context.bot();
    }
}
