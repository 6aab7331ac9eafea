/** Predicting the shard a partition key is written to, from a {@code ListShards} answer. */
@NullMarked
package dev.tideline.model.shard;

import org.jspecify.annotations.NullMarked;
