package dev.tideline.processor.config;

import dev.tideline.kcl.StreamReadiness;
import io.awspring.cloud.autoconfigure.core.AwsClientBuilderConfigurer;
import io.awspring.cloud.autoconfigure.core.AwsConnectionDetails;
import io.awspring.cloud.autoconfigure.dynamodb.DynamoDbProperties;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;

/**
 * The AWS clients beside KCL's (which kcl-support makes): the synchronous DynamoDB client
 * the store and the query API use from the shard and request threads, built the same way.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ProcessorProperties.class)
class AwsClientsConfiguration {

    @Bean(destroyMethod = "close")
    DynamoDbClient dynamoDbClient(
            AwsClientBuilderConfigurer configurer,
            DynamoDbProperties dynamo,
            ObjectProvider<AwsConnectionDetails> connection) {
        return configurer
                .configure(DynamoDbClient.builder(), dynamo, connection.getIfAvailable())
                .httpClientBuilder(Apache5HttpClient.builder().maxConnections(64))
                .build();
    }

    /** Readiness: the stream can be described and the aggregates table is active. */
    @Bean
    StreamReadiness awsHealthIndicator(KinesisAsyncClient kinesis, DynamoDbClient dynamo, ProcessorProperties p) {
        return new StreamReadiness(kinesis, p.kcl().stream(), () -> {
            var table = dynamo.describeTable(r -> r.tableName(p.table())).table();
            if (!"ACTIVE".equals(table.tableStatusAsString())) {
                throw new IllegalStateException("table " + table.tableName() + " is " + table.tableStatusAsString());
            }
            return Map.of("table", table.tableName() + " " + table.tableStatusAsString());
        });
    }
}
