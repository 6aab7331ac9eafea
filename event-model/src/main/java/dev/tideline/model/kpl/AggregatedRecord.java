package dev.tideline.model.kpl;

/**
 * One Kinesis record holding one or more user records in the KPL aggregated format.
 *
 * @param partitionKey the Kinesis record's partition key: that of its first user record
 * @param data magic bytes, the protobuf message, and its MD5
 * @param userRecords how many user records it holds
 */
public record AggregatedRecord(String partitionKey, byte[] data, int userRecords) {

    /** What Kinesis counts against its per-record limit: the data plus the partition key. */
    public int kinesisBytes() {
        return data.length + Kpl.utf8Length(partitionKey);
    }
}
