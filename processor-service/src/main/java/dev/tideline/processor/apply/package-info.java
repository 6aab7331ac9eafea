/**
 * Exactly-once application of a shard's records to the hot path's aggregates: folding, the per-item
 * marks, the {@code event_id} window, and the narrow {@link dev.tideline.processor.apply.AggregateStore}
 * it writes through one item at a time. No AWS or KCL types.
 */
@NullMarked
package dev.tideline.processor.apply;

import org.jspecify.annotations.NullMarked;
