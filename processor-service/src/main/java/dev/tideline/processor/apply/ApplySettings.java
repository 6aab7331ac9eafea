package dev.tideline.processor.apply;

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
 */
public record ApplySettings(
        Duration sessionGap, int maxEventTypes, DedupeSettings dedupe, int userCacheSize, Backoff backoff) {}
