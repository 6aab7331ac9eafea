package dev.tideline.model.kpl;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.tideline.model.kpl.proto.KplMessages;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The KPL aggregated-record format: {@code F3 89 9A C2}, a protobuf {@code AggregatedRecord}, and
 * the MD5 of that protobuf. KCL, Firehose and Lambda deaggregate it natively.
 *
 * <p>KCL drops, without an error, the user records of an aggregate whose hash keys fall outside the
 * shard it was read from; callers must aggregate only records bound for one shard.
 */
public final class Kpl {

    static final byte[] MAGIC = {(byte) 0xF3, (byte) 0x89, (byte) 0x9A, (byte) 0xC2};
    static final int DIGEST_BYTES = 16;

    /** A good default bound for one aggregate: large enough to amortise, small enough to spread. */
    public static final int DEFAULT_MAX_AGGREGATE_BYTES = 50 * 1024;

    /** The Kinesis limit for one record, data plus partition key. */
    public static final int MAX_RECORD_BYTES = 1024 * 1024;

    private Kpl() {}

    /**
     * Packs records, in order, into as few aggregates as the bound allows. Order is kept within and
     * across aggregates.
     *
     * @param maxBytes bound on each aggregate's {@link AggregatedRecord#kinesisBytes()}, at most
     *     {@link #MAX_RECORD_BYTES}; a single user record larger than the bound gets an aggregate of
     *     its own
     * @throws IllegalArgumentException if one user record cannot fit a Kinesis record at all
     */
    public static List<AggregatedRecord> aggregate(List<UserRecord> records, int maxBytes) {
        List<AggregatedRecord> out = new ArrayList<>();
        AggregateBuilder builder = new AggregateBuilder(maxBytes);
        for (UserRecord record : records) {
            if (!builder.tryAdd(record)) {
                out.add(builder.build());
                builder = new AggregateBuilder(maxBytes);
                builder.tryAdd(record);
            }
        }
        if (!builder.isEmpty()) {
            out.add(builder.build());
        }
        return out;
    }

    /**
     * The user records inside one Kinesis record, in order; their index is the sub-sequence number.
     * Data that is not a well-formed aggregate (no magic, a wrong digest, a broken message) is one
     * plain user record, as KCL treats it.
     *
     * @param partitionKey the Kinesis record's own partition key
     */
    public static List<UserRecord> deaggregate(String partitionKey, byte[] data) {
        if (!hasMagic(data) || data.length < MAGIC.length + DIGEST_BYTES) {
            return List.of(UserRecord.of(partitionKey, data));
        }
        byte[] message = Arrays.copyOfRange(data, MAGIC.length, data.length - DIGEST_BYTES);
        byte[] digest = Arrays.copyOfRange(data, data.length - DIGEST_BYTES, data.length);
        if (!MessageDigest.isEqual(md5(message), digest)) {
            return List.of(UserRecord.of(partitionKey, data));
        }
        try {
            return unpack(KplMessages.AggregatedRecord.parseFrom(message));
        } catch (InvalidProtocolBufferException | IndexOutOfBoundsException e) {
            return List.of(UserRecord.of(partitionKey, data));
        }
    }

    /** Whether data starts with the aggregation magic bytes. */
    public static boolean hasMagic(byte[] data) {
        return data.length >= MAGIC.length && Arrays.equals(data, 0, MAGIC.length, MAGIC, 0, MAGIC.length);
    }

    private static List<UserRecord> unpack(KplMessages.AggregatedRecord aggregate) {
        List<UserRecord> out = new ArrayList<>(aggregate.getRecordsCount());
        for (KplMessages.Record r : aggregate.getRecordsList()) {
            String key = aggregate.getPartitionKeyTable(Math.toIntExact(r.getPartitionKeyIndex()));
            String hashKey = r.hasExplicitHashKeyIndex()
                    ? aggregate.getExplicitHashKeyTable(Math.toIntExact(r.getExplicitHashKeyIndex()))
                    : null;
            out.add(new UserRecord(key, hashKey, r.getData().toByteArray()));
        }
        return out;
    }

    static byte[] md5(byte[] bytes) {
        try {
            return MessageDigest.getInstance("MD5").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide MD5", e);
        }
    }

    static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
