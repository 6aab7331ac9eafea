package dev.tideline.model.shard;

import java.time.Instant;

/**
 * One user record as a consumer reads it from a shard, after deaggregation: what both consumers
 * take, in the project's own terms.
 *
 * @param data the user record's bytes; the caller gives up the array
 * @param arrivedAt when Kinesis accepted the record that carried it
 */
public record StreamRecord(Position position, String partitionKey, byte[] data, Instant arrivedAt) {}
