package dev.tideline.processor.apply;

import dev.tideline.model.shard.Position;
import java.util.Objects;

/**
 * Where an item's applied prefix ends: the shard and position of the last record whose effects the
 * item holds. Every write of an item is conditioned on the mark the writer read, so each record
 * changes each item at most once, whichever worker writes it.
 */
public record Mark(String shardId, Position position) {

    public Mark {
        Objects.requireNonNull(shardId, "shardId");
        Objects.requireNonNull(position, "position");
    }

    /** True when this mark is in {@code shardId} and at or after {@code p}: the record is in the item. */
    public boolean covers(String shardId, Position p) {
        return this.shardId.equals(shardId) && !p.isAfter(position);
    }
}
