package dev.tideline.processor.store;

import static dev.tideline.processor.store.Items.DATA_BYTES;
import static dev.tideline.processor.store.Items.DEAD_LETTER_PREFIX;
import static dev.tideline.processor.store.Items.PK;
import static dev.tideline.processor.store.Items.s;

import dev.tideline.processor.apply.DeadLetter;
import dev.tideline.processor.redrive.DeadLetters;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * The dead letters in the first generation's table, one partition per shard ({@code dead-letter#<shard>}),
 * read by {@code Query} (never a {@code Scan} of the whole table), claimed and removed item by item.
 */
public final class DynamoDeadLetters implements DeadLetters {

    private static final String CLAIMED = "redriving_at";

    private final DynamoDbClient dynamo;
    private final String table;
    private final Supplier<List<String>> shards;

    /** @param shards every shard that may have dead letters: the stream's, open and closed */
    public DynamoDeadLetters(DynamoDbClient dynamo, String table, Supplier<List<String>> shards) {
        this.dynamo = dynamo;
        this.table = table;
        this.shards = shards;
    }

    @Override
    public List<Kept> list() {
        List<Kept> out = new ArrayList<>();
        for (String shard : shards.get()) {
            dynamo.queryPaginator(r -> r.tableName(table)
                            .consistentRead(true)
                            .keyConditionExpression("#pk = :pk")
                            .expressionAttributeNames(Map.of("#pk", PK))
                            .expressionAttributeValues(Map.of(":pk", s(DEAD_LETTER_PREFIX + shard))))
                    .items()
                    .forEach(item -> {
                        DeadLetter d = Items.deadLetterOf(item);
                        boolean whole = Long.parseLong(item.get(DATA_BYTES).n()) == d.data().length;
                        AttributeValue claimed = item.get(CLAIMED);
                        out.add(new Kept(d, whole, claimed == null ? null : Instant.parse(claimed.s())));
                    });
        }
        return out;
    }

    @Override
    public boolean claim(Kept letter, Instant at) {
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":at", s(at.toString())));
        String condition = "attribute_exists(#pk) AND ";
        if (letter.claimedAt() == null) {
            condition += "attribute_not_exists(#claimed)";
        } else {
            condition += "#claimed = :seen";
            values.put(":seen", s(letter.claimedAt().toString()));
        }
        String finalCondition = condition;
        try {
            dynamo.updateItem(r -> r.tableName(table)
                    .key(key(letter))
                    .updateExpression("SET #claimed = :at")
                    .conditionExpression(finalCondition)
                    .expressionAttributeNames(Map.of("#pk", PK, "#claimed", CLAIMED))
                    .expressionAttributeValues(values));
            return true;
        } catch (ConditionalCheckFailedException moved) {
            return false;
        }
    }

    @Override
    public void delete(Kept letter) {
        dynamo.deleteItem(r -> r.tableName(table).key(key(letter)));
    }

    private static Map<String, AttributeValue> key(Kept letter) {
        return Items.deadLetterKey(letter.letter().shardId(), letter.letter().position());
    }
}
