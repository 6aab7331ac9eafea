/** Predicting the shard a partition key is written to, from a {@code ListShards} answer. */
package dev.tideline.model.shard;
