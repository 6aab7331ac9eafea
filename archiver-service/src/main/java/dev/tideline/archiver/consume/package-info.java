/** The archiver's KCL worker: one processor per shard lease, checkpoints at durable objects, metrics. */
@NullMarked
package dev.tideline.archiver.consume;

import org.jspecify.annotations.NullMarked;
