package dev.tideline.model.shard;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.kinesis.model.Shard;

/**
 * Which open shard a partition key is written to, predicted the way Kinesis decides it: the MD5 of
 * the key's UTF-8 bytes, read as an unsigned 128-bit integer, falls in one open shard's hash-key
 * range.
 *
 * <p>Built from one {@code ListShards} answer. Closed shards (parents after a split or merge, which
 * have an ending sequence number) take no writes and are left out. Immutable and thread-safe; after
 * resharding, build a new one.
 */
public final class ShardMap {

    /** The largest hash key, 2^128 - 1. */
    public static final BigInteger MAX_HASH_KEY = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE);

    private final List<Range> ranges;
    private final Map<String, Range> everyShard;

    private ShardMap(List<Range> ranges, Map<String, Range> everyShard) {
        this.ranges = ranges;
        this.everyShard = everyShard;
    }

    /**
     * @param shards every shard of a {@code ListShards} answer, closed ones included
     * @throws IllegalArgumentException if the open shards do not cover the hash-key space exactly once
     */
    public static ShardMap of(Collection<Shard> shards) {
        List<Range> open = new ArrayList<>();
        Map<String, Range> every = new HashMap<>();
        for (Shard shard : shards) {
            Range range = new Range(
                    shard.shardId(),
                    new BigInteger(shard.hashKeyRange().startingHashKey()),
                    new BigInteger(shard.hashKeyRange().endingHashKey()));
            every.put(range.shardId(), range);
            if (shard.sequenceNumberRange() == null
                    || shard.sequenceNumberRange().endingSequenceNumber() == null) {
                open.add(range);
            }
        }
        open.sort(Comparator.comparing(Range::start));
        requireExactCover(open);
        return new ShardMap(List.copyOf(open), Map.copyOf(every));
    }

    /** MD5 of the key's UTF-8 bytes as an unsigned 128-bit integer. */
    public static BigInteger hashKey(String partitionKey) {
        try {
            byte[] digest = MessageDigest.getInstance("MD5").digest(partitionKey.getBytes(StandardCharsets.UTF_8));
            return new BigInteger(1, digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide MD5", e);
        }
    }

    /** The id of the open shard that a record with this partition key is written to. */
    public String shardFor(String partitionKey) {
        return shardForHashKey(hashKey(partitionKey));
    }

    /** The id of the open shard whose range holds this hash key. */
    public String shardForHashKey(BigInteger hashKey) {
        int low = 0;
        int high = ranges.size() - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            Range r = ranges.get(mid);
            if (hashKey.compareTo(r.start) < 0) {
                high = mid - 1;
            } else if (hashKey.compareTo(r.end) > 0) {
                low = mid + 1;
            } else {
                return r.shardId;
            }
        }
        throw new IllegalArgumentException("hash key " + hashKey + " is outside 0..2^128-1");
    }

    /**
     * Whether the shard's hash-key range, open or closed, holds the key: whether a record with this
     * key belongs on that shard. Unknown shards hold nothing.
     */
    public boolean holds(String shardId, String partitionKey) {
        return holdsHashKey(shardId, hashKey(partitionKey));
    }

    /** Whether the shard's hash-key range, open or closed, holds this hash key. Unknown shards hold nothing. */
    public boolean holdsHashKey(String shardId, BigInteger hashKey) {
        Range r = everyShard.get(shardId);
        return r != null && hashKey.compareTo(r.start) >= 0 && hashKey.compareTo(r.end) <= 0;
    }

    /** Whether this map knows the shard, open or closed. */
    public boolean knows(String shardId) {
        return everyShard.containsKey(shardId);
    }

    /** The open shards, in hash-key order. */
    public List<String> openShardIds() {
        return ranges.stream().map(Range::shardId).toList();
    }

    private static void requireExactCover(List<Range> open) {
        BigInteger next = BigInteger.ZERO;
        for (Range r : open) {
            if (!r.start.equals(next)) {
                throw new IllegalArgumentException("open shards leave a gap or overlap at hash key " + next + " (shard "
                        + r.shardId + " starts at " + r.start + ")");
            }
            next = r.end.add(BigInteger.ONE);
        }
        if (!next.equals(MAX_HASH_KEY.add(BigInteger.ONE))) {
            throw new IllegalArgumentException(
                    "open shards end at hash key " + next.subtract(BigInteger.ONE) + ", short of 2^128-1");
        }
    }

    private record Range(String shardId, BigInteger start, BigInteger end) {}
}
