package dev.tideline.processor.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tideline.localaws.truth.GroundTruth;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Reads the aggregates table back, independently of the service's own code, and compares it. */
final class AggregatesTable {

    private final DynamoDbClient dynamo;
    private final String table;

    AggregatesTable(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    List<Map<String, AttributeValue>> items(String pkPrefix) {
        return dynamo
                .scanPaginator(r -> r.tableName(table)
                        .consistentRead(true)
                        .filterExpression("begins_with(pk, :p)")
                        .expressionAttributeValues(Map.of(":p", AttributeValue.fromS(pkPrefix))))
                .items()
                .stream()
                .toList();
    }

    Map<String, GroundTruth.User> users() {
        Map<String, GroundTruth.User> users = new HashMap<>();
        for (Map<String, AttributeValue> item : items("user#")) {
            TreeMap<String, Long> types = new TreeMap<>();
            item.get("events_by_type").m().forEach((k, v) -> types.put(k, Long.parseLong(v.n())));
            AttributeValue lastPage = item.get("last_page");
            users.put(
                    item.get("user_id").s(),
                    new GroundTruth.User(
                            item.get("user_id").s(),
                            Long.parseLong(item.get("total_events").n()),
                            types,
                            Instant.parse(item.get("first_seen").s()),
                            Instant.parse(item.get("last_seen").s()),
                            lastPage == null ? null : lastPage.s(),
                            Long.parseLong(item.get("sessions").n()),
                            Long.parseLong(item.get("bot_events").n())));
        }
        return users;
    }

    long totalEvents() {
        return users().values().stream()
                .mapToLong(GroundTruth.User::totalEvents)
                .sum();
    }

    Map<Instant, Map<String, Long>> pageViews() {
        Map<Instant, Map<String, Long>> views = new TreeMap<>();
        for (Map<String, AttributeValue> item : items("pages#")) {
            Instant minute = Instant.parse(item.get("pk").s().substring("pages#".length()));
            Map<String, Long> counts = new HashMap<>();
            if (item.get("views").hasM()) { // a shard's minute: views per page
                item.get("views").m().forEach((page, n) -> counts.put(page, Long.parseLong(n.n())));
            } else { // a page past what the minute holds
                counts.put(
                        item.get("page").s(), Long.parseLong(item.get("views").n()));
            }
            counts.forEach((page, n) -> {
                if (n > 0) { // a page whose views were all retries holds 0
                    views.computeIfAbsent(minute, m -> new TreeMap<>()).merge(page, n, Long::sum);
                }
            });
        }
        return views;
    }

    /** Every user aggregate and every page-minute count equals the ground truth. */
    void assertExactly(GroundTruth truth) {
        Map<String, GroundTruth.User> expected = truth.users();
        Map<String, GroundTruth.User> actual = users();
        assertThat(actual.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
        expected.forEach(
                (id, user) -> assertThat(actual.get(id)).as("user %s", id).isEqualTo(user));
        assertThat(pageViews()).isEqualTo(truth.pageViews());
    }
}
