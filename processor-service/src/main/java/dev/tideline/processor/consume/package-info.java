/**
 * The KCL worker: the scheduler in the Spring lifecycle, one processor per shard lease, checkpoints
 * after durable effects, and the processor's metrics.
 */
@NullMarked
package dev.tideline.processor.consume;

import org.jspecify.annotations.NullMarked;
