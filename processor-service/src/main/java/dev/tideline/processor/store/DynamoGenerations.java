package dev.tideline.processor.store;

import static dev.tideline.processor.store.Items.PK;
import static dev.tideline.processor.store.Items.SK;
import static dev.tideline.processor.store.Items.TTL;
import static dev.tideline.processor.store.Items.n;
import static dev.tideline.processor.store.Items.s;

import dev.tideline.model.names.Layout;
import dev.tideline.processor.apply.StoreUnavailableException;
import dev.tideline.processor.generation.Generation;
import dev.tideline.processor.generation.Generations;
import dev.tideline.processor.generation.Pointer;
import dev.tideline.processor.generation.Rules;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The generation pointer as one item of the first generation's table ({@code generation} /
 * {@code pointer}), and the generations' tables, created with the first's key schema and time to
 * live.
 */
public final class DynamoGenerations implements Generations {

    private static final Logger log = LoggerFactory.getLogger(DynamoGenerations.class);
    private static final Map<String, AttributeValue> KEY =
            Map.of(PK, s(Layout.POINTER_PARTITION), SK, s(Layout.POINTER_SORT));
    private static final String CURRENT = Layout.POINTER_CURRENT;
    private static final String BUILDING = "building";
    private static final String PLAN = "plan";
    private static final String LOADED = "loaded";
    private static final String RULES = "rules";
    private static final String BUILDING_RULES = "building_rules";
    private static final String PREVIOUS = "previous";
    private static final String DELETE_AFTER = "delete_after";

    private final DynamoDbClient dynamo;
    private final String firstTable;
    private final String firstApplication;

    /**
     * @param firstTable the first generation's aggregates table, which holds the pointer
     * @param firstApplication the first generation's KCL application name
     */
    public DynamoGenerations(DynamoDbClient dynamo, String firstTable, String firstApplication) {
        this.dynamo = dynamo;
        this.firstTable = firstTable;
        this.firstApplication = firstApplication;
    }

    @Override
    public Pointer read() {
        Map<String, AttributeValue> item = calling(
                () -> dynamo.getItem(r -> r.tableName(firstTable).key(KEY).consistentRead(true))
                        .item());
        if (item == null || item.isEmpty()) {
            return Pointer.INITIAL;
        }
        Pointer.Building building = item.containsKey(BUILDING)
                ? new Pointer.Building(
                        generation(item.get(BUILDING)),
                        item.get(PLAN).s(),
                        Rules.decode(item.get(BUILDING_RULES).s()),
                        item.containsKey(LOADED) && item.get(LOADED).bool())
                : null;
        return new Pointer(
                generation(item.get(CURRENT)),
                item.containsKey(RULES) ? Rules.decode(item.get(RULES).s()) : null,
                building,
                item.containsKey(PREVIOUS) ? generation(item.get(PREVIOUS)) : null,
                item.containsKey(DELETE_AFTER)
                        ? Instant.ofEpochSecond(
                                Long.parseLong(item.get(DELETE_AFTER).n()))
                        : null);
    }

    @Override
    public boolean begin(Generation current, Generation next, String plan, Rules rules) {
        return update(
                "SET #current = if_not_exists(#current, :one), #building = :next, #plan = :plan,"
                        + " #buildingRules = :rules, #loaded = :false",
                (current.equals(Generation.FIRST)
                                ? "(attribute_not_exists(#current) OR #current = :expected)"
                                : "#current = :expected")
                        + " AND attribute_not_exists(#building)",
                Map.of(
                        ":one", n(1),
                        ":expected", n(current.number()),
                        ":next", n(next.number()),
                        ":plan", s(plan),
                        ":rules", s(rules.encode()),
                        ":false", AttributeValue.fromBool(false)),
                CURRENT,
                BUILDING,
                PLAN,
                BUILDING_RULES,
                LOADED);
    }

    @Override
    public boolean loaded(Generation building) {
        return update(
                "SET #loaded = :true",
                "#building = :building",
                Map.of(":true", AttributeValue.fromBool(true), ":building", n(building.number())),
                LOADED,
                BUILDING);
    }

    @Override
    public boolean switchTo(Generation current, Generation next, @Nullable Instant deleteAfter) {
        Map<String, AttributeValue> values = new HashMap<>(Map.of(
                ":current", n(current.number()), ":next", n(next.number()), ":true", AttributeValue.fromBool(true)));
        String set = "SET #current = :next, #previous = :current, #rules = #buildingRules";
        if (deleteAfter != null) {
            set += ", #deleteAfter = :deleteAfter";
            values.put(":deleteAfter", n(deleteAfter.getEpochSecond()));
        }
        return update(
                set + " REMOVE #building, #plan, #loaded" + (deleteAfter == null ? ", #deleteAfter" : ""),
                "#current = :current AND #building = :next AND #loaded = :true",
                values,
                CURRENT,
                PREVIOUS,
                RULES,
                BUILDING_RULES,
                DELETE_AFTER,
                BUILDING,
                PLAN,
                LOADED);
    }

    @Override
    public boolean abandon(Generation building) {
        return update(
                "REMOVE #building, #plan, #buildingRules, #loaded",
                "#building = :building",
                Map.of(":building", n(building.number())),
                BUILDING,
                PLAN,
                BUILDING_RULES,
                LOADED);
    }

    @Override
    public boolean forget(Generation previous) {
        return update(
                "REMOVE #previous, #deleteAfter",
                "#previous = :previous",
                Map.of(":previous", n(previous.number())),
                PREVIOUS,
                DELETE_AFTER);
    }

    @Override
    public void createTable(Generation generation) {
        String table = generation.table(firstTable);
        calling(() -> {
            try {
                dynamo.createTable(r -> r.tableName(table)
                        .billingMode(BillingMode.PAY_PER_REQUEST)
                        .attributeDefinitions(attribute(PK), attribute(SK))
                        .keySchema(key(PK, KeyType.HASH), key(SK, KeyType.RANGE)));
            } catch (ResourceInUseException exists) {
                log.info("Table {} exists already", table);
            }
            dynamo.waiter().waitUntilTableExists(r -> r.tableName(table));
            try {
                dynamo.updateTimeToLive(r -> r.tableName(table)
                        .timeToLiveSpecification(t -> t.attributeName(TTL).enabled(true)));
            } catch (DynamoDbException e) {
                // Set already (a second attempt), or an engine without time to live (dynalite).
                log.info(
                        "Time to live of {} left as it is ({}): set already, or an engine without it",
                        table,
                        e.awsErrorDetails().errorCode());
            }
            return null;
        });
    }

    @Override
    public void delete(Generation generation) {
        if (generation.equals(Generation.FIRST)) {
            throw new IllegalArgumentException("the first generation's tables hold the pointer and are kept");
        }
        for (String table : new String[] {generation.table(firstTable), generation.application(firstApplication)}) {
            calling(() -> {
                try {
                    dynamo.deleteTable(r -> r.tableName(table));
                    log.info("Deleted table {} of {}", table, generation);
                } catch (ResourceNotFoundException gone) {
                    log.info("Table {} of {} is gone already", table, generation);
                }
                return null;
            });
        }
    }

    private boolean update(String update, String condition, Map<String, AttributeValue> values, String... attributes) {
        Map<String, String> names = new HashMap<>();
        for (String a : attributes) {
            names.put("#" + camel(a), a);
        }
        try {
            calling(() -> dynamo.updateItem(r -> r.tableName(firstTable)
                    .key(KEY)
                    .updateExpression(update)
                    .conditionExpression(condition)
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(values)));
            return true;
        } catch (ConditionalCheckFailedException moved) {
            return false;
        }
    }

    private static String camel(String attribute) {
        StringBuilder out = new StringBuilder();
        boolean upper = false;
        for (char c : attribute.toCharArray()) {
            if (c == '_') {
                upper = true;
            } else {
                out.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return out.toString();
    }

    private static Generation generation(AttributeValue v) {
        return new Generation(Integer.parseInt(v.n()));
    }

    private static AttributeDefinition attribute(String name) {
        return AttributeDefinition.builder()
                .attributeName(name)
                .attributeType(ScalarAttributeType.S)
                .build();
    }

    private static KeySchemaElement key(String name, KeyType type) {
        return KeySchemaElement.builder().attributeName(name).keyType(type).build();
    }

    private static <T> T calling(Supplier<T> call) {
        try {
            return call.get();
        } catch (ConditionalCheckFailedException e) {
            throw e;
        } catch (SdkException e) {
            throw new StoreUnavailableException("the generation pointer cannot be used: " + e.getMessage(), e);
        }
    }
}
