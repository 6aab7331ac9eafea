package dev.tideline.ingest.publish;

/**
 * Where a user record landed.
 *
 * @param subSequenceNumber its index within the KPL aggregate that carried it
 */
public record Published(String shardId, String sequenceNumber, long subSequenceNumber) {}
