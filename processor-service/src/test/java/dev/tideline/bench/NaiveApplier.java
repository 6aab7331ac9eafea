package dev.tideline.bench;

import dev.tideline.model.event.ClickEvent;
import dev.tideline.model.event.ClickEventCodec;
import dev.tideline.model.shard.StreamRecord;
import dev.tideline.processor.apply.UserActivity;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * The design this service is measured against: per record, a conditional {@code PutItem} that
 * remembers the record's sequence number, then an {@code UpdateItem} of the user's counters. Two
 * calls per event, and not even atomic: a crash between them loses the event.
 */
final class NaiveApplier {

    private final DynamoDbClient dynamo;
    private final String table;
    private final ClickEventCodec codec = new ClickEventCodec();

    NaiveApplier(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    void apply(String shardId, List<StreamRecord> records) {
        for (StreamRecord r : records) {
            try {
                dynamo.putItem(p -> p.tableName(table)
                        .item(Map.of(
                                "pk", AttributeValue.fromS("seen#" + shardId),
                                "sk", AttributeValue.fromS(r.position().toString())))
                        .conditionExpression("attribute_not_exists(pk)"));
            } catch (ConditionalCheckFailedException duplicate) {
                continue;
            }
            ClickEvent e = codec.readStored(r.data());
            dynamo.updateItem(u -> u.tableName(table)
                    .key(Map.of(
                            "pk", AttributeValue.fromS("naive-user#" + e.userId()),
                            "sk", AttributeValue.fromS("activity")))
                    .updateExpression("ADD total_events :one, #type :one "
                            + "SET first_seen = if_not_exists(first_seen, :t), last_seen = :t")
                    .expressionAttributeNames(Map.of("#type", "type_" + e.eventType()))
                    .expressionAttributeValues(Map.of(
                            ":one", AttributeValue.fromN("1"),
                            ":t", AttributeValue.fromS(UserActivity.timeOf(e).toString()))));
        }
    }
}
