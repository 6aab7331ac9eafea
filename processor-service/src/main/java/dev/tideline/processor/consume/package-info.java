/**
 * The processor's side of KCL: a shard's batches applied by a {@link
 * dev.tideline.processor.apply.ShardApplier} behind kcl-support's shard sink, and the processor's
 * metrics.
 */
@NullMarked
package dev.tideline.processor.consume;

import org.jspecify.annotations.NullMarked;
