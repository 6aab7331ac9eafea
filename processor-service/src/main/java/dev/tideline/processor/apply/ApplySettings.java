package dev.tideline.processor.apply;

import dev.tideline.model.event.ClickEventCodec;
import dev.tideline.model.retry.Backoff;
import java.time.Duration;

/**
 * How a {@link ShardApplier} folds and writes.
 *
 * @param sessionGap a new session starts after this long without an event
 * @param maxEventTypes distinct event types kept per user
 * @param dedupe how long a user's {@code event_id}s are remembered
 * @param userCacheSize user items kept in memory per shard, to fold without reading
 * @param backoff the waits before the store is tried again after an error
 * @param dropUnknownFields whether a stored record's top-level fields that the contract does not
 *     know are dropped rather than making it a dead letter
 */
public record ApplySettings(
        Duration sessionGap,
        int maxEventTypes,
        DedupeSettings dedupe,
        int userCacheSize,
        Backoff backoff,
        boolean dropUnknownFields) {

    /** Settings that hold stored records to the whole contract. */
    public ApplySettings(
            Duration sessionGap, int maxEventTypes, DedupeSettings dedupe, int userCacheSize, Backoff backoff) {
        this(sessionGap, maxEventTypes, dedupe, userCacheSize, backoff, false);
    }

    /** How stored records are read: by the contract, or dropping unknown fields. */
    public ClickEventCodec codec() {
        return dropUnknownFields ? ClickEventCodec.droppingUnknownFields() : new ClickEventCodec();
    }
}
