package dev.tideline.processor.store;

import static dev.tideline.processor.store.Items.PK;
import static dev.tideline.processor.store.Items.SEQUENCE;
import static dev.tideline.processor.store.Items.SUB_SEQUENCE;
import static dev.tideline.processor.store.Items.TOTAL;
import static dev.tideline.processor.store.Items.TTL;
import static dev.tideline.processor.store.Items.n;
import static dev.tideline.processor.store.Items.s;

import dev.tideline.model.shard.Position;
import dev.tideline.processor.apply.AggregateStore;
import dev.tideline.processor.apply.PageMinute;
import dev.tideline.processor.apply.Transaction;
import dev.tideline.processor.apply.UserActivity;
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
import java.util.Set;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * The hot path's state in one DynamoDB table ({@link Items} has the layout). A transaction is one
 * {@code TransactWriteItems} call: the marker and each user are written with a condition on what the
 * writer expects, page views are added, dead letters are put. Thread-safe.
 */
public final class DynamoAggregateStore implements AggregateStore {

    private static final int BATCH_GET_LIMIT = 100;
    private static final String CONDITION_FAILED = "ConditionalCheckFailed";

    private final DynamoDbClient dynamo;
    private final String table;
    private final String stream;
    private final String workerId;
    private final StoreSettings settings;
    private final Clock clock;

    public DynamoAggregateStore(
            DynamoDbClient dynamo, String table, String stream, String workerId, StoreSettings settings, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.stream = stream;
        this.workerId = workerId;
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * How long items live.
     *
     * @param pageMinuteTtl how long a minute's page views are kept for {@code GET /v1/pages/top}
     * @param deadLetterTtl how long a dead letter is kept
     * @param closedMarkerTtl how long a closed shard's marker is kept after a child started
     */
    public record StoreSettings(Duration pageMinuteTtl, Duration deadLetterTtl, Duration closedMarkerTtl) {}

    @Override
    public @Nullable Position marker(String shardId) {
        return Items.position(dynamo.getItem(r ->
                        r.tableName(table).key(Items.markerKey(stream, shardId)).consistentRead(true))
                .item());
    }

    @Override
    public Map<String, UserActivity> users(Collection<String> userIds) {
        Map<String, UserActivity> found = new HashMap<>();
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
                    UserActivity a = Items.user(item);
                    found.put(a.userId(), a);
                });
                request = response.unprocessedKeys();
            }
        }
        return found;
    }

    @Override
    public Optional<UserActivity> user(String userId) {
        Map<String, AttributeValue> item = dynamo.getItem(
                        r -> r.tableName(table).key(Items.userKey(userId)))
                .item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(Items.user(item));
    }

    @Override
    public Map<String, Long> pageViews(Instant minute) {
        Map<String, Long> views = new HashMap<>();
        QueryRequest query = QueryRequest.builder()
                .tableName(table)
                .keyConditionExpression("#pk = :pk")
                .expressionAttributeValues(Map.of(":pk", s(Items.minutePartition(minute))))
                .projectionExpression("page, #views")
                .expressionAttributeNames(Map.of("#pk", PK, "#views", "views"))
                .build();
        dynamo.queryPaginator(query)
                .items()
                .forEach(item -> views.merge(
                        item.get("page").s(), Long.parseLong(item.get("views").n()), Long::sum));
        return views;
    }

    @Override
    public Commit commit(Transaction t) {
        Instant now = clock.instant();
        List<TransactWriteItem> items = new ArrayList<>(t.items());
        items.add(markerWrite(t, now));
        for (Transaction.UserWrite w : t.users()) {
            items.add(TransactWriteItem.builder()
                    .put(p -> {
                        p.tableName(table).item(Items.user(w.after()));
                        if (w.expectedTotal() == 0) {
                            p.conditionExpression("attribute_not_exists(#pk)")
                                    .expressionAttributeNames(Map.of("#pk", PK));
                        } else {
                            p.conditionExpression("#total = :total")
                                    .expressionAttributeNames(Map.of("#total", TOTAL))
                                    .expressionAttributeValues(Map.of(":total", n(w.expectedTotal())));
                        }
                    })
                    .build());
        }
        t.pageViews().forEach((view, count) -> items.add(pageViewWrite(view, count)));
        Instant deadLetterExpiry = now.plus(settings.deadLetterTtl());
        t.deadLetters()
                .forEach(d -> items.add(TransactWriteItem.builder()
                        .put(p -> p.tableName(table).item(Items.deadLetter(d, deadLetterExpiry)))
                        .build()));
        try {
            dynamo.transactWriteItems(r -> r.transactItems(items));
            return Commit.COMMITTED;
        } catch (TransactionCanceledException e) {
            if (!e.hasCancellationReasons()) {
                return new Commit.Conflict(Set.of());
            }
            List<CancellationReason> reasons = e.cancellationReasons();
            if (reasons.stream().noneMatch(r -> CONDITION_FAILED.equals(r.code()))) {
                throw e; // throttled, or conflicting with another transaction: an error to wait out
            }
            Set<String> stale = new HashSet<>();
            for (int i = 0; i < t.users().size() && i + 1 < reasons.size(); i++) {
                if (CONDITION_FAILED.equals(reasons.get(i + 1).code())) {
                    stale.add(t.users().get(i).after().userId());
                }
            }
            return new Commit.Conflict(stale);
        }
    }

    private TransactWriteItem markerWrite(Transaction t, Instant now) {
        Position expected = t.expectedMarker();
        return TransactWriteItem.builder()
                .put(p -> {
                    p.tableName(table).item(Items.marker(stream, t.shardId(), t.newMarker(), workerId, now));
                    if (expected == null) {
                        p.conditionExpression("attribute_not_exists(#pk)").expressionAttributeNames(Map.of("#pk", PK));
                    } else {
                        p.conditionExpression("#seq = :seq AND #sub = :sub")
                                .expressionAttributeNames(Map.of("#seq", SEQUENCE, "#sub", SUB_SEQUENCE))
                                .expressionAttributeValues(Map.of(
                                        ":seq", s(expected.sequenceNumber()), ":sub", n(expected.subSequence())));
                    }
                })
                .build();
    }

    private TransactWriteItem pageViewWrite(PageMinute view, long count) {
        return TransactWriteItem.builder()
                .update(u -> u.tableName(table)
                        .key(Items.pageKey(view))
                        .updateExpression("ADD #views :n SET #page = :page, #ttl = :ttl")
                        .expressionAttributeNames(Map.of("#views", "views", "#page", "page", "#ttl", TTL))
                        .expressionAttributeValues(Map.of(
                                ":n",
                                n(count),
                                ":page",
                                s(view.page()),
                                ":ttl",
                                n(view.minute().plus(settings.pageMinuteTtl()).getEpochSecond()))))
                .build();
    }

    @Override
    public void shardEnded(String shardId) {
        try {
            dynamo.updateItem(r -> r.tableName(table)
                    .key(Items.markerKey(stream, shardId))
                    .updateExpression("SET closed_at = :now")
                    .conditionExpression("attribute_exists(#pk)")
                    .expressionAttributeNames(Map.of("#pk", PK))
                    .expressionAttributeValues(Map.of(":now", s(clock.instant().toString()))));
        } catch (ConditionalCheckFailedException e) {
            // The shard held no records, so it has no marker to keep.
        }
    }

    @Override
    public void retire(Collection<String> closedShardIds) {
        long expires = clock.instant().plus(settings.closedMarkerTtl()).getEpochSecond();
        for (String shardId : closedShardIds) {
            try {
                dynamo.updateItem(r -> r.tableName(table)
                        .key(Items.markerKey(stream, shardId))
                        .updateExpression("SET #ttl = if_not_exists(#ttl, :ttl)")
                        .conditionExpression("attribute_exists(closed_at)")
                        .expressionAttributeNames(Map.of("#ttl", TTL))
                        .expressionAttributeValues(Map.of(":ttl", n(expires))));
            } catch (ConditionalCheckFailedException e) {
                // Not closed, or already gone: nothing to retire.
            }
        }
    }
}
