/**
 * Exactly-once application of a shard's records to the hot path's aggregates: runs, folding, the
 * progress marker protocol, and the narrow {@link dev.tideline.processor.apply.AggregateStore} it
 * writes through. No AWS or KCL types.
 */
@NullMarked
package dev.tideline.processor.apply;

import org.jspecify.annotations.NullMarked;
