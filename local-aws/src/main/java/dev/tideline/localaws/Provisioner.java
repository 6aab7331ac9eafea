package dev.tideline.localaws;

import dev.tideline.model.names.ResourceNames;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.waiters.WaiterOverrideConfiguration;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.waiters.DynamoDbWaiter;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;
import software.amazon.awssdk.services.kinesis.waiters.KinesisWaiter;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;

/**
 * Creates Tideline's stream, aggregates table and bucket on a local stack, by the shared names.
 * Idempotent: what exists already is left as it is, so a stack started on kept data provisions again
 * safely. The KCL lease tables are made by {@link KclLeases}.
 */
public final class Provisioner {

    /** The aggregates table's time-to-live attribute, epoch seconds. */
    public static final String TTL_ATTRIBUTE = "expires_at";

    // The SDK's waiters poll every 10-20 s, sized for real AWS; the local servers answer in milliseconds.
    private static final WaiterOverrideConfiguration FAST = WaiterOverrideConfiguration.builder()
            .backoffStrategyV2(BackoffStrategy.fixedDelayWithoutJitter(Duration.ofMillis(100)))
            .waitTimeout(Duration.ofSeconds(60))
            .build();

    private static final Logger log = LoggerFactory.getLogger(Provisioner.class);
    private static final String UNKNOWN_OPERATION = "UnknownOperationException";

    private final LocalAwsClients clients;

    public Provisioner(LocalAwsClients clients) {
        this.clients = clients;
    }

    /** Creates every resource and returns once the stream is ACTIVE and the table exists. */
    public void provision(ResourceNames names, int shards) {
        try (KinesisClient kinesis = clients.kinesis();
                DynamoDbClient dynamo = clients.dynamoDb();
                S3Client s3 = clients.s3()) {
            createStream(kinesis, names.stream(), shards);
            createAggregatesTable(dynamo, names.aggregatesTable());
            createBucket(s3, names.bucket());
        }
    }

    /**
     * Creates an aggregates table beside the stack's, for a second processor over the same stream
     * (a benchmark's replay, say); returns once it exists.
     */
    public void provisionAggregatesTable(String table) {
        try (DynamoDbClient dynamo = clients.dynamoDb()) {
            createAggregatesTable(dynamo, table);
        }
    }

    /**
     * Deletes {@code stream} and creates it again with {@code shards} shards, as an operator might:
     * the new stream has new shards under the old shard ids. Returns once the new one is active.
     */
    public static void recreateStream(KinesisClient kinesis, String stream, int shards) {
        kinesis.deleteStream(r -> r.streamName(stream).enforceConsumerDeletion(true));
        try (KinesisWaiter waiter = waiter(kinesis)) {
            waiter.waitUntilStreamNotExists(r -> r.streamName(stream));
        }
        createStream(kinesis, stream, shards);
    }

    static void createStream(KinesisClient kinesis, String stream, int shards) {
        try {
            kinesis.describeStreamSummary(r -> r.streamName(stream));
        } catch (ResourceNotFoundException absent) {
            kinesis.createStream(r -> r.streamName(stream).shardCount(shards));
        }
        awaitActive(kinesis, stream);
    }

    /**
     * Returns once {@code stream} is {@code ACTIVE}: created, or done with a split, a merge or a
     * change of its shard count.
     */
    public static void awaitActive(KinesisClient kinesis, String stream) {
        try (KinesisWaiter waiter = waiter(kinesis)) {
            waiter.waitUntilStreamExists(r -> r.streamName(stream));
        }
    }

    private static KinesisWaiter waiter(KinesisClient kinesis) {
        return KinesisWaiter.builder()
                .client(kinesis)
                .overrideConfiguration(FAST)
                .build();
    }

    static void createAggregatesTable(DynamoDbClient dynamo, String table) {
        try {
            dynamo.createTable(r -> r.tableName(table)
                    .billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(
                            AttributeDefinition.builder()
                                    .attributeName("pk")
                                    .attributeType(ScalarAttributeType.S)
                                    .build(),
                            AttributeDefinition.builder()
                                    .attributeName("sk")
                                    .attributeType(ScalarAttributeType.S)
                                    .build())
                    .keySchema(
                            KeySchemaElement.builder()
                                    .attributeName("pk")
                                    .keyType(KeyType.HASH)
                                    .build(),
                            KeySchemaElement.builder()
                                    .attributeName("sk")
                                    .keyType(KeyType.RANGE)
                                    .build()));
        } catch (ResourceInUseException exists) {
            return;
        }
        try (DynamoDbWaiter waiter = DynamoDbWaiter.builder()
                .client(dynamo)
                .overrideConfiguration(FAST)
                .build()) {
            waiter.waitUntilTableExists(r -> r.tableName(table));
        }
        try {
            dynamo.updateTimeToLive(r -> r.tableName(table)
                    .timeToLiveSpecification(t -> t.attributeName(TTL_ATTRIBUTE).enabled(true)));
        } catch (DynamoDbException e) {
            if (!UNKNOWN_OPERATION.equals(e.awsErrorDetails().errorCode())) {
                throw e;
            }
            // dynalite has no time to live: expired page minutes and dead letters stay until deleted.
            log.info("{} has no time to live on this engine; expired items stay", table);
        }
    }

    static void createBucket(S3Client s3, String bucket) {
        try {
            s3.createBucket(r -> r.bucket(bucket));
        } catch (BucketAlreadyOwnedByYouException exists) {
            // kept from an earlier run
        }
    }
}
