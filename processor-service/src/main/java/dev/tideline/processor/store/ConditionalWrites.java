package dev.tideline.processor.store;

import static dev.tideline.processor.store.Items.MARK_SEQUENCE;
import static dev.tideline.processor.store.Items.MARK_SHARD;
import static dev.tideline.processor.store.Items.MARK_SUB;
import static dev.tideline.processor.store.Items.PAGE;
import static dev.tideline.processor.store.Items.PK;
import static dev.tideline.processor.store.Items.TTL;
import static dev.tideline.processor.store.Items.VIEWS;
import static dev.tideline.processor.store.Items.n;
import static dev.tideline.processor.store.Items.s;

import dev.tideline.model.shard.Position;
import dev.tideline.processor.apply.Mark;
import dev.tideline.processor.apply.Write;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Each kind of {@link Write} as one conditional {@code PutItem} or {@code UpdateItem}, conditioned on
 * the mark the writer read (or on the item's absence). A failed condition throws the SDK's
 * {@code ConditionalCheckFailedException}. Thread-safe.
 */
final class ConditionalWrites {

    private static final String SAME_MARK = "#ms = :ms AND #mq = :mq AND #mu = :mu";

    private final DynamoDbClient dynamo;
    private final String table;
    private final String deadLetters;
    private final Duration pageMinuteTtl;
    private final Duration deadLetterTtl;
    private final Clock clock;

    ConditionalWrites(
            DynamoDbClient dynamo,
            String table,
            String deadLetters,
            Duration pageMinuteTtl,
            Duration deadLetterTtl,
            Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.deadLetters = deadLetters;
        this.pageMinuteTtl = pageMinuteTtl;
        this.deadLetterTtl = deadLetterTtl;
        this.clock = clock;
    }

    void perform(Write w) {
        if (w instanceof Write.User u) {
            putUser(u);
        } else if (w instanceof Write.MinuteViews m) {
            putMinute(m);
        } else if (w instanceof Write.PageViews p) {
            addViews(p);
        } else {
            putDeadLetter((Write.Dead) w);
        }
    }

    private void putUser(Write.User u) {
        Mark expected = u.expected();
        dynamo.putItem(p -> {
            p.tableName(table).item(Items.user(u.after()));
            if (expected == null) {
                p.conditionExpression("attribute_not_exists(#pk)").expressionAttributeNames(Map.of("#pk", PK));
            } else {
                p.conditionExpression(SAME_MARK)
                        .expressionAttributeNames(Map.of("#ms", MARK_SHARD, "#mq", MARK_SEQUENCE, "#mu", MARK_SUB))
                        .expressionAttributeValues(Map.of(
                                ":ms", s(expected.shardId()),
                                ":mq", s(expected.position().sequenceNumber()),
                                ":mu", n(expected.position().subSequence())));
            }
        });
    }

    private void putMinute(Write.MinuteViews m) {
        Position expected = m.expected();
        Instant expires = m.minute().plus(pageMinuteTtl);
        dynamo.putItem(p -> {
            p.tableName(table).item(Items.minute(m.shardId(), m.minute(), m.after(), expires));
            if (expected == null) {
                p.conditionExpression("attribute_not_exists(#pk)").expressionAttributeNames(Map.of("#pk", PK));
            } else {
                p.conditionExpression("#mq = :eq AND #mu = :eu")
                        .expressionAttributeNames(Map.of("#mq", MARK_SEQUENCE, "#mu", MARK_SUB))
                        .expressionAttributeValues(
                                Map.of(":eq", s(expected.sequenceNumber()), ":eu", n(expected.subSequence())));
            }
        });
    }

    private void addViews(Write.PageViews w) {
        Position expected = w.expected();
        Map<String, String> names = new HashMap<>(
                Map.of("#views", VIEWS, "#page", PAGE, "#ttl", TTL, "#mq", MARK_SEQUENCE, "#mu", MARK_SUB, "#pk", PK));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(
                ":n", n(w.views()),
                ":page", s(w.view().page()),
                ":ttl", n(w.view().minute().plus(pageMinuteTtl).getEpochSecond()),
                ":q", s(w.mark().sequenceNumber()),
                ":u", n(w.mark().subSequence())));
        String condition;
        if (expected == null) {
            condition = "attribute_not_exists(#pk)";
        } else {
            condition = "#mq = :eq AND #mu = :eu";
            values.put(":eq", s(expected.sequenceNumber()));
            values.put(":eu", n(expected.subSequence()));
            names.remove("#pk");
        }
        dynamo.updateItem(r -> r.tableName(table)
                .key(Items.pageKey(w.shardId(), w.view()))
                .updateExpression("ADD #views :n SET #page = :page, #ttl = :ttl, #mq = :q, #mu = :u")
                .conditionExpression(condition)
                .expressionAttributeNames(names)
                .expressionAttributeValues(values));
    }

    private void putDeadLetter(Write.Dead d) {
        Instant expires = clock.instant().plus(deadLetterTtl);
        dynamo.putItem(p -> p.tableName(deadLetters)
                .item(Items.deadLetter(d.letter(), expires))
                .conditionExpression("attribute_not_exists(#pk)")
                .expressionAttributeNames(Map.of("#pk", PK)));
    }
}
