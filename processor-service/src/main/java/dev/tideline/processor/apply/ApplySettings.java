package dev.tideline.processor.apply;

import java.time.Duration;

/**
 * How a {@link ShardApplier} folds and writes.
 *
 * @param sessionGap a new session starts after this long without an event
 * @param maxTransactionItems the most items one transaction may write, the marker included
 *     (DynamoDB allows 100)
 * @param maxEventTypes distinct event types kept per user
 * @param userCacheSize user aggregates kept in memory per shard, to fold without reading
 * @param initialBackoff first wait before a write is tried again after an error; doubled up to
 *     {@code maxBackoff}
 */
public record ApplySettings(
        Duration sessionGap,
        int maxTransactionItems,
        int maxEventTypes,
        int userCacheSize,
        Duration initialBackoff,
        Duration maxBackoff) {

    public ApplySettings {
        if (maxTransactionItems < 2 || maxTransactionItems > 100) {
            throw new IllegalArgumentException("a transaction holds 2 to 100 items, not " + maxTransactionItems);
        }
    }
}
