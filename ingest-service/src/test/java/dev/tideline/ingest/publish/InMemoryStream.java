package dev.tideline.ingest.publish;

import dev.tideline.model.kpl.Kpl;
import dev.tideline.model.kpl.UserRecord;
import dev.tideline.model.shard.ShardMap;
import java.math.BigInteger;
import java.net.ConnectException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.kinesis.model.Shard;

/**
 * A stream in memory that places records the way Kinesis does (by the MD5 of each record's
 * partition key over the open shards), can throttle entries, go down, and split a shard behind
 * the publisher's back; and reads back the way KCL does, dropping aggregates whose user records do
 * not all belong to the shard they sit on.
 */
final class InMemoryStream implements StreamGateway {

    private final Map<String, Shard> shards = new LinkedHashMap<>();
    private final Map<String, List<byte[]>> data = new ConcurrentHashMap<>();
    private final Map<String, List<String>> keys = new ConcurrentHashMap<>();
    private final Executor executor = Executors.newFixedThreadPool(4);
    private final Random random = new Random(7);
    private final AtomicInteger calls = new AtomicInteger();
    private volatile double throttleRate;
    private volatile boolean down;
    private long sequence = 1000;

    InMemoryStream(int shardCount) {
        BigInteger width = ShardMap.MAX_HASH_KEY.add(BigInteger.ONE).divide(BigInteger.valueOf(shardCount));
        for (int i = 0; i < shardCount; i++) {
            BigInteger start = width.multiply(BigInteger.valueOf(i));
            BigInteger end = i == shardCount - 1
                    ? ShardMap.MAX_HASH_KEY
                    : start.add(width).subtract(BigInteger.ONE);
            addShard("shardId-" + i, start, end, null);
        }
    }

    void throttle(double rate) {
        this.throttleRate = rate;
    }

    void down(boolean isDown) {
        this.down = isDown;
    }

    int calls() {
        return calls.get();
    }

    /** Splits the first open shard in two, as SplitShard does. */
    synchronized void splitFirstShard() {
        Shard parent = shards.values().stream()
                .filter(s -> s.sequenceNumberRange().endingSequenceNumber() == null)
                .findFirst()
                .orElseThrow();
        BigInteger start = new BigInteger(parent.hashKeyRange().startingHashKey());
        BigInteger end = new BigInteger(parent.hashKeyRange().endingHashKey());
        BigInteger mid = start.add(end).shiftRight(1);
        shards.put(
                parent.shardId(),
                parent.toBuilder()
                        .sequenceNumberRange(parent.sequenceNumberRange().toBuilder()
                                .endingSequenceNumber("9")
                                .build())
                        .build());
        addShard(parent.shardId() + "-a", start, mid, parent.shardId());
        addShard(parent.shardId() + "-b", mid.add(BigInteger.ONE), end, parent.shardId());
    }

    @Override
    public synchronized CompletableFuture<List<Shard>> listShards() {
        if (down) {
            return CompletableFuture.failedFuture(new ConnectException("stream down"));
        }
        return CompletableFuture.completedFuture(List.copyOf(shards.values()));
    }

    @Override
    public CompletableFuture<List<PutOutcome>> putRecords(List<Entry> entries) {
        calls.incrementAndGet();
        return CompletableFuture.supplyAsync(() -> put(entries), executor);
    }

    private synchronized List<PutOutcome> put(List<Entry> entries) {
        if (down) {
            throw new java.util.concurrent.CompletionException(new ConnectException("stream down"));
        }
        ShardMap map = ShardMap.of(shards.values());
        List<PutOutcome> outcomes = new ArrayList<>();
        for (Entry e : entries) {
            if (random.nextDouble() < throttleRate) {
                outcomes.add(PutOutcome.failed("ProvisionedThroughputExceededException", "Rate exceeded for shard"));
                continue;
            }
            String shard = map.shardFor(e.partitionKey());
            data.computeIfAbsent(shard, k -> new ArrayList<>()).add(e.data());
            keys.computeIfAbsent(shard, k -> new ArrayList<>()).add(e.partitionKey());
            outcomes.add(PutOutcome.ok(shard, Long.toString(sequence++)));
        }
        return outcomes;
    }

    /** Every user record a KCL consumer would hand over, per shard in stream order. */
    synchronized Map<String, List<UserRecord>> readAsKcl() {
        ShardMap map = ShardMap.of(shards.values());
        Map<String, List<UserRecord>> out = new LinkedHashMap<>();
        data.forEach((shard, records) -> {
            List<UserRecord> users = new ArrayList<>();
            List<String> recordKeys = keys.get(shard);
            for (int i = 0; i < records.size(); i++) {
                List<UserRecord> inside = Kpl.deaggregate(recordKeys.get(i), records.get(i));
                if (inside.stream().allMatch(u -> map.holds(shard, u.partitionKey()))) {
                    users.addAll(inside);
                }
            }
            out.put(shard, users);
        });
        return out;
    }

    synchronized int kinesisRecords() {
        return data.values().stream().mapToInt(List::size).sum();
    }

    private void addShard(String id, BigInteger start, BigInteger end, String parent) {
        shards.put(
                id,
                Shard.builder()
                        .shardId(id)
                        .parentShardId(parent)
                        .hashKeyRange(r -> r.startingHashKey(start.toString()).endingHashKey(end.toString()))
                        .sequenceNumberRange(r -> r.startingSequenceNumber("1"))
                        .build());
    }
}
