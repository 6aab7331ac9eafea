package dev.tideline.processor.apply;

import dev.tideline.model.shard.Position;
import java.time.Instant;

/**
 * A user record that cannot change the aggregates: undecodable or breaking the event contract. It is
 * kept with its raw bytes, keyed by its shard and position so that it is recorded exactly once, and
 * skipped.
 *
 * @param reason a short machine-readable cause: {@code undecodable}, {@code invalid} or
 *     {@code partition_key_mismatch}
 * @param message what was wrong, for a person
 */
public record DeadLetter(
        String shardId,
        Position position,
        String partitionKey,
        byte[] data,
        Instant arrivedAt,
        String reason,
        String message) {

    /** The largest raw payload kept; DynamoDB items are at most 400 KB. The full length is kept beside it. */
    public static final int MAX_KEPT_BYTES = 256 * 1024;
}
