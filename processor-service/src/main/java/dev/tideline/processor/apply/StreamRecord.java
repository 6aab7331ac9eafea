package dev.tideline.processor.apply;

import dev.tideline.model.shard.Position;
import java.time.Instant;

/**
 * One user record as KCL hands it over, after deaggregation, in this module's own terms.
 *
 * @param data the user record's bytes; the caller gives up the array
 * @param arrivedAt when Kinesis accepted the record that carried it
 */
public record StreamRecord(Position position, String partitionKey, byte[] data, Instant arrivedAt) {}
