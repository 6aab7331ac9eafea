package dev.tideline.processor.store;

import static dev.tideline.processor.store.Items.MARK_SEQUENCE;
import static dev.tideline.processor.store.Items.MARK_SUB;
import static dev.tideline.processor.store.Items.PAGE;
import static dev.tideline.processor.store.Items.TTL;
import static dev.tideline.processor.store.Items.VIEWS;
import static dev.tideline.processor.store.Items.n;
import static dev.tideline.processor.store.Items.s;

import dev.tideline.model.retry.Backoff;
import dev.tideline.processor.apply.StoreUnavailableException;
import dev.tideline.processor.apply.Write;
import dev.tideline.processor.rebuild.ItemLoader;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * A generation's items by {@code BatchWriteItem}: 25 items a call, several calls at once, the
 * unprocessed ones sent again after a backoff. The items are those the live path writes
 * ({@link Items}); page views whose time to live has passed already are not written at all.
 */
public final class DynamoItemLoader implements ItemLoader, AutoCloseable {

    private static final int BATCH = 25;

    private final DynamoDbClient dynamo;
    private final String table;
    private final Duration pageMinuteTtl;
    private final Clock clock;
    private final ExecutorService calls;

    public DynamoItemLoader(DynamoDbClient dynamo, String table, Duration pageMinuteTtl, int concurrency, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.pageMinuteTtl = pageMinuteTtl;
        this.clock = clock;
        this.calls = Executors.newFixedThreadPool(concurrency, r -> {
            Thread t = new Thread(r, "item-loader");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void load(List<Write> writes) {
        Instant now = clock.instant();
        List<Map<String, AttributeValue>> items = new ArrayList<>(writes.size());
        for (Write w : writes) {
            Map<String, AttributeValue> item = item(w, now);
            if (item != null) {
                items.add(item);
            }
        }
        List<Future<?>> pending = new ArrayList<>();
        for (int from = 0; from < items.size(); from += BATCH) {
            List<Map<String, AttributeValue>> batch = items.subList(from, Math.min(items.size(), from + BATCH));
            pending.add(calls.submit(() -> put(batch)));
        }
        for (Future<?> f : pending) {
            try {
                f.get();
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StoreUnavailableException("interrupted while loading " + table, e);
            }
        }
    }

    /** The item a write puts; null for page views already expired. */
    private Map<String, AttributeValue> item(Write w, Instant now) {
        if (w instanceof Write.User u) {
            return Items.user(u.after());
        }
        if (w instanceof Write.MinuteViews m) {
            Instant expires = m.minute().plus(pageMinuteTtl);
            return expires.isBefore(now) ? null : Items.minute(m.shardId(), m.minute(), m.after(), expires);
        }
        if (w instanceof Write.PageViews p) {
            Instant expires = p.view().minute().plus(pageMinuteTtl);
            if (expires.isBefore(now)) {
                return null;
            }
            Map<String, AttributeValue> item = new HashMap<>(Items.pageKey(p.shardId(), p.view()));
            item.put(VIEWS, n(p.views()));
            item.put(PAGE, s(p.view().page()));
            item.put(TTL, n(expires.getEpochSecond()));
            item.put(MARK_SEQUENCE, s(p.mark().sequenceNumber()));
            item.put(MARK_SUB, n(p.mark().subSequence()));
            return item;
        }
        throw new IllegalArgumentException("a rebuild loads no " + w.getClass().getSimpleName());
    }

    private void put(List<Map<String, AttributeValue>> items) {
        List<WriteRequest> left = items.stream()
                .map(i -> WriteRequest.builder()
                        .putRequest(PutRequest.builder().item(i).build())
                        .build())
                .toList();
        Backoff.Attempts waits = Backoff.DEFAULT.attempts();
        int attempts = 0;
        while (!left.isEmpty()) {
            List<WriteRequest> sending = left;
            try {
                BatchWriteItemResponse response = dynamo.batchWriteItem(r -> r.requestItems(Map.of(table, sending)));
                left = response.unprocessedItems().getOrDefault(table, List.of());
            } catch (SdkException e) {
                if (++attempts >= 10) {
                    throw new StoreUnavailableException(
                            "the items of " + table + " cannot be written: " + e.getMessage(), e);
                }
            }
            if (!left.isEmpty()) {
                try {
                    Thread.sleep(waits.next().toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new StoreUnavailableException("interrupted while loading " + table, e);
                }
            }
        }
    }

    @Override
    public void close() {
        calls.shutdownNow();
    }
}
