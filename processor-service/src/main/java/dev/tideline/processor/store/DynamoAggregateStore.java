package dev.tideline.processor.store;

import static dev.tideline.processor.store.Items.PAGE;
import static dev.tideline.processor.store.Items.PK;
import static dev.tideline.processor.store.Items.TTL;
import static dev.tideline.processor.store.Items.VIEWS;
import static dev.tideline.processor.store.Items.n;
import static dev.tideline.processor.store.Items.s;

import dev.tideline.model.shard.Position;
import dev.tideline.processor.apply.AggregateStore;
import dev.tideline.processor.apply.PageMinute;
import dev.tideline.processor.apply.ShardMinute;
import dev.tideline.processor.apply.StoreUnavailableException;
import dev.tideline.processor.apply.UserActivity;
import dev.tideline.processor.apply.UserState;
import dev.tideline.processor.apply.Write;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * The hot path's state in one DynamoDB table ({@link Items} has the layout). Every write is one
 * conditional {@code PutItem} or {@code UpdateItem}: no transactions, which cost twice the write
 * units and which not every engine has. A batch's writes run concurrently on a bounded pool.
 * Thread-safe.
 */
public final class DynamoAggregateStore implements AggregateStore, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DynamoAggregateStore.class);
    private static final int BATCH_GET_LIMIT = 100;

    private final DynamoDbClient dynamo;
    private final String table;
    private final String stream;
    private final StoreSettings settings;
    private final Clock clock;
    private final ExecutorService writers;
    private final ConditionalWrites writes;

    public DynamoAggregateStore(
            DynamoDbClient dynamo, String table, String stream, StoreSettings settings, Clock clock) {
        this(dynamo, table, table, stream, settings, clock);
    }

    /**
     * @param table a generation's table: users, page views, and which shards its consumer read to
     *     their end
     * @param deadLetters where dead letters go, whichever generation found them: the first
     *     generation's table, where operators and the redrive look
     */
    public DynamoAggregateStore(
            DynamoDbClient dynamo,
            String table,
            String deadLetters,
            String stream,
            StoreSettings settings,
            Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.stream = stream;
        this.settings = settings;
        this.clock = clock;
        this.writes = new ConditionalWrites(
                dynamo, table, deadLetters, settings.pageMinuteTtl(), settings.deadLetterTtl(), clock);
        this.writers = Executors.newFixedThreadPool(settings.writeConcurrency(), runnable -> {
            Thread t = new Thread(runnable, "aggregate-writer");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * How items live and how writes run.
     *
     * @param pageMinuteTtl how long a minute's page views are kept for {@code GET /v1/pages/top}
     * @param deadLetterTtl how long a dead letter is kept
     * @param endedShardTtl how long the record of a shard's end is kept, longer than any worker of it
     *     may stay frozen
     * @param writeConcurrency single-item writes in flight at once, for all shards of this worker
     */
    public record StoreSettings(
            Duration pageMinuteTtl, Duration deadLetterTtl, Duration endedShardTtl, int writeConcurrency) {}

    @Override
    public Map<String, UserState> users(Collection<String> userIds) {
        return reading(() -> readUsers(userIds));
    }

    private Map<String, UserState> readUsers(Collection<String> userIds) {
        Map<String, UserState> found = new HashMap<>();
        List<String> ids = List.copyOf(new HashSet<>(userIds));
        for (int from = 0; from < ids.size(); from += BATCH_GET_LIMIT) {
            List<Map<String, AttributeValue>> keys =
                    ids.subList(from, Math.min(ids.size(), from + BATCH_GET_LIMIT)).stream()
                            .map(Items::userKey)
                            .toList();
            Map<String, KeysAndAttributes> request = Map.of(
                    table,
                    KeysAndAttributes.builder().keys(keys).consistentRead(true).build());
            while (!request.isEmpty()) {
                Map<String, KeysAndAttributes> asked = request;
                BatchGetItemResponse response = dynamo.batchGetItem(r -> r.requestItems(asked));
                response.responses().getOrDefault(table, List.of()).forEach(item -> {
                    UserState state = Items.userState(item);
                    found.put(state.activity().userId(), state);
                });
                request = response.unprocessedKeys();
            }
        }
        return found;
    }

    @Override
    public Optional<UserActivity> user(String userId) {
        Map<String, AttributeValue> item =
                reading(() -> dynamo.getItem(r -> r.tableName(table).key(Items.userKey(userId)))
                        .item());
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(Items.activity(item));
    }

    @Override
    public Map<String, Long> pageViews(Instant minute) {
        return reading(() -> readPageViews(minute));
    }

    private Map<String, Long> readPageViews(Instant minute) {
        Map<String, Long> views = new HashMap<>();
        QueryRequest query = QueryRequest.builder()
                .tableName(table)
                .keyConditionExpression("#pk = :pk")
                .expressionAttributeValues(Map.of(":pk", s(Items.minutePartition(minute))))
                .projectionExpression("#page, #views")
                .expressionAttributeNames(Map.of("#pk", PK, "#page", PAGE, "#views", VIEWS))
                .build();
        dynamo.queryPaginator(query).items().forEach(item -> {
            AttributeValue counts = item.get(VIEWS);
            if (counts.hasM()) {
                counts.m().forEach((page, n) -> views.merge(page, Long.parseLong(n.n()), Long::sum));
            } else {
                views.merge(item.get(PAGE).s(), Long.parseLong(counts.n()), Long::sum);
            }
        });
        return views;
    }

    @Override
    public @Nullable ShardMinute minuteViews(String shardId, Instant minute) {
        Map<String, AttributeValue> item = consistentItem(Items.minuteKey(shardId, minute));
        return item == null || item.isEmpty() ? null : Items.minute(item);
    }

    @Override
    public @Nullable Position pageViewsMark(String shardId, PageMinute view) {
        Map<String, AttributeValue> item = consistentItem(Items.pageKey(shardId, view));
        return item == null || item.isEmpty() ? null : Items.markPosition(item);
    }

    @Override
    public List<Write.Result> write(List<Write> writes) {
        if (writes.size() == 1) {
            return List.of(writeOne(writes.get(0)));
        }
        List<Future<Write.Result>> futures = new ArrayList<>(writes.size());
        for (Write w : writes) {
            futures.add(writers.submit(() -> writeOne(w)));
        }
        List<Write.Result> results = new ArrayList<>(writes.size());
        for (Future<Write.Result> f : futures) {
            try {
                results.add(f.get());
            } catch (ExecutionException e) {
                results.add(Write.Result.FAILED);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                results.add(Write.Result.FAILED);
            }
        }
        return results;
    }

    private Write.Result writeOne(Write w) {
        try {
            writes.perform(w);
            return Write.Result.WRITTEN;
        } catch (ConditionalCheckFailedException e) {
            return Write.Result.CONFLICT;
        } catch (RuntimeException e) {
            log.warn("Writing {} failed: {}", w.getClass().getSimpleName(), e.toString());
            return Write.Result.FAILED;
        }
    }

    @Override
    public void shardEnded(String shardId) {
        Instant now = clock.instant();
        Map<String, AttributeValue> item = new HashMap<>(Items.endedKey(stream, shardId));
        item.put("shard_id", s(shardId));
        item.put("ended_at", s(now.toString()));
        item.put(TTL, n(now.plus(settings.endedShardTtl()).getEpochSecond()));
        reading(() -> dynamo.putItem(r -> r.tableName(table).item(item)));
    }

    @Override
    public boolean hasEnded(String shardId) {
        Map<String, AttributeValue> item = consistentItem(Items.endedKey(stream, shardId));
        return item != null && !item.isEmpty();
    }

    private @Nullable Map<String, AttributeValue> consistentItem(Map<String, AttributeValue> key) {
        return reading(() -> dynamo.getItem(r -> r.tableName(table).key(key).consistentRead(true))
                .item());
    }

    /** The SDK's failures stop here: callers see {@link StoreUnavailableException}. */
    private static <T> T reading(Supplier<T> call) {
        try {
            return call.get();
        } catch (SdkException e) {
            throw new StoreUnavailableException("the aggregates table cannot be used: " + e.getMessage(), e);
        }
    }

    /** Stops the writers' pool; KCL has stopped calling by then. */
    @Override
    public void close() {
        writers.shutdownNow();
    }
}
