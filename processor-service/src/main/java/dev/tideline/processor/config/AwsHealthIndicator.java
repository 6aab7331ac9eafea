package dev.tideline.processor.config;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;

/** Readiness: the stream can be described and the aggregates table is active. */
final class AwsHealthIndicator implements HealthIndicator {

    private final KinesisAsyncClient kinesis;
    private final DynamoDbClient dynamo;
    private final ProcessorProperties properties;

    AwsHealthIndicator(KinesisAsyncClient kinesis, DynamoDbClient dynamo, ProcessorProperties properties) {
        this.kinesis = kinesis;
        this.dynamo = dynamo;
        this.properties = properties;
    }

    @Override
    public Health health() {
        try {
            var stream = kinesis.describeStreamSummary(r -> r.streamName(properties.stream()))
                    .join()
                    .streamDescriptionSummary();
            var table =
                    dynamo.describeTable(r -> r.tableName(properties.table())).table();
            Health.Builder health = "ACTIVE".equals(table.tableStatusAsString()) ? Health.up() : Health.down();
            return health.withDetail("stream", stream.streamName() + " " + stream.streamStatusAsString())
                    .withDetail("openShards", stream.openShardCount())
                    .withDetail("table", table.tableName() + " " + table.tableStatusAsString())
                    .build();
        } catch (RuntimeException e) {
            return Health.down().withDetail("error", e.toString()).build();
        }
    }
}
