package dev.tideline.processor.config;

import dev.tideline.kcl.KclProperties.Retrieval;
import io.awspring.cloud.autoconfigure.core.AwsClientBuilderConfigurer;
import io.awspring.cloud.autoconfigure.dynamodb.DynamoDbProperties;
import io.awspring.cloud.autoconfigure.metrics.CloudWatchProperties;
import java.time.Duration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;

/**
 * The AWS clients, each built the way Spring Cloud AWS builds its own, so that region, credentials
 * and endpoints come from {@code spring.cloud.aws.*}. KCL gets the asynchronous ones; the store and
 * the query API use the synchronous DynamoDB client from the shard and request threads.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({
    ProcessorProperties.class,
    KinesisProperties.class,
    DynamoDbProperties.class,
    CloudWatchProperties.class
})
class AwsClientsConfiguration {

    @Bean(destroyMethod = "close")
    KinesisAsyncClient kinesisAsyncClient(
            AwsClientBuilderConfigurer configurer, KinesisProperties kinesis, ProcessorProperties processor) {
        // Enhanced fan-out's SubscribeToShard needs HTTP/2; GetRecords polling gains nothing from it.
        Protocol protocol = processor.kcl().retrieval() == Retrieval.FAN_OUT ? Protocol.HTTP2 : Protocol.HTTP1_1;
        return configurer
                .configure(KinesisAsyncClient.builder(), kinesis, null)
                .httpClientBuilder(NettyNioAsyncHttpClient.builder()
                        .protocol(protocol)
                        .maxConcurrency(Integer.MAX_VALUE)
                        .connectionAcquisitionTimeout(Duration.ofSeconds(10)))
                .build();
    }

    @Bean(destroyMethod = "close")
    DynamoDbAsyncClient dynamoDbAsyncClient(AwsClientBuilderConfigurer configurer, DynamoDbProperties dynamo) {
        return configurer.configure(DynamoDbAsyncClient.builder(), dynamo, null).build();
    }

    @Bean(destroyMethod = "close")
    DynamoDbClient dynamoDbClient(AwsClientBuilderConfigurer configurer, DynamoDbProperties dynamo) {
        return configurer
                .configure(DynamoDbClient.builder(), dynamo, null)
                .httpClientBuilder(ApacheHttpClient.builder().maxConnections(64))
                .build();
    }

    @Bean
    AwsHealthIndicator awsHealthIndicator(KinesisAsyncClient kinesis, DynamoDbClient dynamo, ProcessorProperties p) {
        return new AwsHealthIndicator(kinesis, dynamo, p);
    }

    /** KCL's metrics go here on AWS; the client is made but never called when they are off. */
    @Bean(destroyMethod = "close")
    CloudWatchAsyncClient cloudWatchAsyncClient(
            AwsClientBuilderConfigurer configurer, CloudWatchProperties cloudWatch) {
        return configurer
                .configure(CloudWatchAsyncClient.builder(), cloudWatch, null)
                .build();
    }
}
