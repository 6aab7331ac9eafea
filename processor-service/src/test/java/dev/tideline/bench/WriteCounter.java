package dev.tideline.bench;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * Counts DynamoDB write calls, the items they write, and their write units by DynamoDB's rule (one
 * per started KB of the item written; twice that inside a transaction), as the SDK sends them.
 *
 * <p>It also prices the users' items as the transactional design before this one wrote them: each
 * without the attributes that design did not have (the mark and the window of ids), at two units
 * per started KB. The benchmark adds that design's page items and markers, which it counts from the
 * records.
 */
final class WriteCounter implements ExecutionInterceptor {

    /** Attributes this design adds to every item it puts; the transactional design had none of them. */
    private static final Set<String> MARKS = Set.of("mark_shard", "mark_sequence", "mark_sub", "recent_ids");

    private static final int PAGE_VIEWS_ITEM_BYTES = 200;

    final AtomicLong calls = new AtomicLong();
    final AtomicLong items = new AtomicLong();
    final AtomicLong units = new AtomicLong();
    final AtomicLong transactionalUnits = new AtomicLong();

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        Object request = context.request();
        if (request instanceof TransactWriteItemsRequest t) {
            calls.incrementAndGet();
            items.addAndGet(t.transactItems().size());
        } else if (request instanceof PutItemRequest p) {
            calls.incrementAndGet();
            items.incrementAndGet();
            units.addAndGet(kilobytes(size(p.item(), Set.of())));
            if (p.item().get("pk").s().startsWith("user#")) {
                transactionalUnits.addAndGet(2 * kilobytes(size(p.item(), MARKS)));
            }
        } else if (request instanceof UpdateItemRequest) {
            // A page's own count: a key, a page, a count, a TTL and a mark, well under 1 KB.
            calls.incrementAndGet();
            items.incrementAndGet();
            units.addAndGet(kilobytes(PAGE_VIEWS_ITEM_BYTES));
        }
    }

    void reset() {
        calls.set(0);
        items.set(0);
        units.set(0);
        transactionalUnits.set(0);
    }

    private static long kilobytes(long bytes) {
        return Math.max(1, (bytes + 1023) / 1024);
    }

    /** An item's size as DynamoDB counts it: each attribute's name and value. */
    static long size(Map<String, AttributeValue> item, Set<String> leftOut) {
        long bytes = 0;
        for (Map.Entry<String, AttributeValue> e : item.entrySet()) {
            if (!leftOut.contains(e.getKey())) {
                bytes += utf8(e.getKey()) + size(e.getValue());
            }
        }
        return bytes;
    }

    private static long size(AttributeValue v) {
        if (v.s() != null) {
            return utf8(v.s());
        }
        if (v.n() != null) {
            return (v.n().length() + 1) / 2 + 1;
        }
        if (v.b() != null) {
            return v.b().asByteArrayUnsafe().length;
        }
        if (v.hasM()) {
            return 3 + v.m().size() + size(v.m(), Set.of());
        }
        return 1;
    }

    private static long utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
