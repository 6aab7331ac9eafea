package dev.tideline.processor.apply;

import java.time.Duration;

/**
 * How a {@link ShardApplier} folds and writes.
 *
 * @param sessionGap a new session starts after this long without an event
 * @param maxEventTypes distinct event types kept per user
 * @param dedupe how long a user's {@code event_id}s are remembered
 * @param userCacheSize user items kept in memory per shard, to fold without reading
 * @param initialBackoff first wait before the store is tried again after an error; doubled up to
 *     {@code maxBackoff}
 */
public record ApplySettings(
        Duration sessionGap,
        int maxEventTypes,
        DedupeSettings dedupe,
        int userCacheSize,
        Duration initialBackoff,
        Duration maxBackoff) {}
