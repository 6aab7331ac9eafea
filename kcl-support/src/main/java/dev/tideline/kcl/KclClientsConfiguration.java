package dev.tideline.kcl;

import dev.tideline.web.KinesisProperties;
import io.awspring.cloud.autoconfigure.core.AwsClientBuilderConfigurer;
import io.awspring.cloud.autoconfigure.core.AwsConnectionDetails;
import io.awspring.cloud.autoconfigure.dynamodb.DynamoDbProperties;
import io.awspring.cloud.autoconfigure.metrics.CloudWatchProperties;
import java.time.Duration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;

/**
 * The clients a KCL worker needs, each built the way Spring Cloud AWS builds its own, so that
 * region, credentials and endpoints come from {@code spring.cloud.aws.*}. A consumer imports this;
 * its properties record, a {@link KclConsumerProperties}, is the one bean it needs.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({KinesisProperties.class, DynamoDbProperties.class, CloudWatchProperties.class})
public class KclClientsConfiguration {

    @Bean(destroyMethod = "close")
    KinesisAsyncClient kinesisAsyncClient(
            AwsClientBuilderConfigurer configurer,
            KinesisProperties kinesis,
            KclConsumerProperties consumer,
            ObjectProvider<AwsConnectionDetails> connection) {
        // Enhanced fan-out's SubscribeToShard needs HTTP/2; GetRecords polling gains nothing from it.
        Protocol protocol =
                consumer.kcl().retrieval() == KclProperties.Retrieval.FAN_OUT ? Protocol.HTTP2 : Protocol.HTTP1_1;
        return configurer
                .configure(KinesisAsyncClient.builder(), kinesis, connection.getIfAvailable())
                .httpClientBuilder(NettyNioAsyncHttpClient.builder()
                        .protocol(protocol)
                        .maxConcurrency(Integer.MAX_VALUE)
                        .connectionAcquisitionTimeout(Duration.ofSeconds(10)))
                .build();
    }

    /** KCL's leases and checkpoints. */
    @Bean(destroyMethod = "close")
    DynamoDbAsyncClient dynamoDbAsyncClient(
            AwsClientBuilderConfigurer configurer,
            DynamoDbProperties dynamo,
            ObjectProvider<AwsConnectionDetails> connection) {
        return configurer
                .configure(DynamoDbAsyncClient.builder(), dynamo, connection.getIfAvailable())
                .build();
    }

    /** KCL's metrics go here on AWS; the client is made but never called when they are off. */
    @Bean(destroyMethod = "close")
    CloudWatchAsyncClient cloudWatchAsyncClient(
            AwsClientBuilderConfigurer configurer,
            CloudWatchProperties cloudWatch,
            ObjectProvider<AwsConnectionDetails> connection) {
        return configurer
                .configure(CloudWatchAsyncClient.builder(), cloudWatch, connection.getIfAvailable())
                .build();
    }

    @Bean
    KclClients kclClients(KinesisAsyncClient kinesis, DynamoDbAsyncClient dynamo, CloudWatchAsyncClient cloudWatch) {
        return new KclClients(kinesis, dynamo, cloudWatch);
    }
}
