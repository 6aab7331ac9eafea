package dev.tideline.model.kpl;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.UnsafeByteOperations;
import dev.tideline.model.kpl.proto.KplMessages;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Collects user records into one aggregate up to a size bound, tracking the exact encoded size as
 * records are added, so a caller can fill an aggregate incrementally. Adding copies no data (the
 * records' arrays are wrapped, as {@link UserRecord} allows); {@link #build()} encodes. Not
 * thread-safe.
 */
public final class AggregateBuilder {

    private static final int FRAME_BYTES = Kpl.MAGIC.length + Kpl.DIGEST_BYTES;

    private final int maxBytes;
    private final KplMessages.AggregatedRecord.Builder message = KplMessages.AggregatedRecord.newBuilder();
    private final Map<String, Integer> keyIndex = new HashMap<>();
    private final Map<String, Integer> hashKeyIndex = new HashMap<>();
    private @Nullable String partitionKey;
    private int messageBytes;
    private int count;

    /** @param maxBytes bound on the aggregate's data plus partition key, 1 to 1 MiB */
    public AggregateBuilder(int maxBytes) {
        if (maxBytes < 1 || maxBytes > Kpl.MAX_RECORD_BYTES) {
            throw new IllegalArgumentException(
                    "an aggregate must be 1 to " + Kpl.MAX_RECORD_BYTES + " bytes, not " + maxBytes);
        }
        this.maxBytes = maxBytes;
    }

    /**
     * Adds the record if the aggregate stays within the bound. An empty builder always takes one
     * record that fits a Kinesis record, even past its own bound.
     *
     * @return false, leaving the builder unchanged, when the record would not fit
     * @throws IllegalArgumentException if the record cannot fit a Kinesis record at all
     */
    public boolean tryAdd(UserRecord record) {
        boolean newKey = !keyIndex.containsKey(record.partitionKey());
        boolean newHashKey = record.explicitHashKey() != null && !hashKeyIndex.containsKey(record.explicitHashKey());
        var entry = KplMessages.Record.newBuilder()
                .setPartitionKeyIndex(keyIndex.getOrDefault(record.partitionKey(), keyIndex.size()))
                .setData(UnsafeByteOperations.unsafeWrap(record.data()));
        if (record.explicitHashKey() != null) {
            entry.setExplicitHashKeyIndex(hashKeyIndex.getOrDefault(record.explicitHashKey(), hashKeyIndex.size()));
        }
        KplMessages.Record built = entry.build();
        int added = CodedOutputStream.computeMessageSize(3, built)
                + (newKey ? CodedOutputStream.computeStringSize(1, record.partitionKey()) : 0)
                + (newHashKey ? CodedOutputStream.computeStringSize(2, record.explicitHashKey()) : 0);
        String aggregateKey = partitionKey == null ? record.partitionKey() : partitionKey;
        int total = FRAME_BYTES + messageBytes + added + Kpl.utf8Length(aggregateKey);
        if (total > maxBytes && count > 0) {
            return false;
        }
        if (total > Kpl.MAX_RECORD_BYTES) {
            throw new IllegalArgumentException("a user record of " + record.data().length
                    + " bytes does not fit a Kinesis record of " + Kpl.MAX_RECORD_BYTES + " bytes");
        }
        if (newKey) {
            keyIndex.put(record.partitionKey(), keyIndex.size());
            message.addPartitionKeyTable(record.partitionKey());
        }
        if (newHashKey) {
            hashKeyIndex.put(record.explicitHashKey(), hashKeyIndex.size());
            message.addExplicitHashKeyTable(record.explicitHashKey());
        }
        message.addRecords(built);
        partitionKey = aggregateKey;
        messageBytes += added;
        count++;
        return true;
    }

    public boolean isEmpty() {
        return count == 0;
    }

    /** User records added so far. */
    public int count() {
        return count;
    }

    /** The exact {@link AggregatedRecord#kinesisBytes()} the aggregate would have now; 0 when empty. */
    public int kinesisBytes() {
        return count == 0 ? 0 : FRAME_BYTES + messageBytes + Kpl.utf8Length(partitionKey);
    }

    /** Encodes the aggregate. The builder must not be empty, and is not to be used afterwards. */
    public AggregatedRecord build() {
        if (count == 0) {
            throw new IllegalStateException("an aggregate needs at least one user record");
        }
        byte[] body = message.build().toByteArray();
        byte[] digest = Kpl.md5(body);
        byte[] data = new byte[Kpl.MAGIC.length + body.length + digest.length];
        System.arraycopy(Kpl.MAGIC, 0, data, 0, Kpl.MAGIC.length);
        System.arraycopy(body, 0, data, Kpl.MAGIC.length, body.length);
        System.arraycopy(digest, 0, data, Kpl.MAGIC.length + body.length, digest.length);
        return new AggregatedRecord(partitionKey, data, count);
    }
}
