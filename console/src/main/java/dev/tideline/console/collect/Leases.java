package dev.tideline.console.collect;

import dev.tideline.model.names.Layout;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Reads a KCL 2.x lease table: one {@code Scan} (one page for up to hundreds of shards) per call. */
public final class Leases {

    /**
     * One shard's lease as KCL keeps it.
     *
     * @param owner the worker holding it; null when no worker does
     * @param counter raised by the owner at every renewal: a counter that stops moving is a dead owner
     * @param checkpoint the sequence number read up to, or a sentinel ({@code TRIM_HORIZON},
     *     {@code LATEST}, {@code SHARD_END})
     * @param ownerSwitches times the lease changed hands since the last checkpoint
     */
    public record Lease(
            String shardId, @Nullable String owner, long counter, @Nullable String checkpoint, long ownerSwitches) {}

    private final DynamoDbClient dynamo;
    private final AtomicLong scans = new AtomicLong();

    public Leases(DynamoDbClient dynamo) {
        this.dynamo = dynamo;
    }

    /**
     * The generation of the aggregates served, from the pointer a rebuild keeps in the first
     * generation's table: 1 when no rebuild ever switched.
     */
    public int currentGeneration(String aggregatesTable) {
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(aggregatesTable)
                        .key(Map.of(
                                Layout.AGGREGATES_PARTITION_KEY, AttributeValue.fromS(Layout.POINTER_PARTITION),
                                Layout.AGGREGATES_SORT_KEY, AttributeValue.fromS(Layout.POINTER_SORT)))
                        .projectionExpression("#c")
                        .expressionAttributeNames(Map.of("#c", Layout.POINTER_CURRENT)))
                .item();
        AttributeValue current = item == null ? null : item.get(Layout.POINTER_CURRENT);
        return current == null ? 1 : Integer.parseInt(current.n());
    }

    public List<Lease> scan(String table) {
        List<Lease> leases = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            scans.incrementAndGet();
            var page = dynamo.scan(b -> b.tableName(table).consistentRead(true).exclusiveStartKey(from));
            for (Map<String, AttributeValue> item : page.items()) {
                String key = text(item, Layout.LEASE_KEY);
                if (key != null && key.startsWith("shardId-")) {
                    leases.add(new Lease(
                            key,
                            text(item, "leaseOwner"),
                            number(item, "leaseCounter"),
                            text(item, "checkpoint"),
                            number(item, "ownerSwitchesSinceCheckpoint")));
                }
            }
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return leases;
    }

    /** {@code Scan} requests made so far: what the console costs the lease tables. */
    public long scans() {
        return scans.get();
    }

    private static @Nullable String text(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null ? null : v.s();
    }

    private static long number(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null || v.n() == null ? 0 : Long.parseLong(v.n());
    }
}
