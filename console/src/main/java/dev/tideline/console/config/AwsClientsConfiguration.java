package dev.tideline.console.config;

import dev.tideline.web.KinesisProperties;
import io.awspring.cloud.autoconfigure.core.AwsClientBuilderConfigurer;
import io.awspring.cloud.autoconfigure.core.AwsConnectionDetails;
import io.awspring.cloud.autoconfigure.dynamodb.DynamoDbProperties;
import io.awspring.cloud.autoconfigure.s3.properties.S3Properties;
import java.time.Duration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The console's read-only AWS clients. Each call gives up after a few seconds and is not retried, so
 * that a stack that went away is shown as unreachable at the next refresh instead of stalling it.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({KinesisProperties.class, DynamoDbProperties.class, S3Properties.class})
class AwsClientsConfiguration {

    private static final ClientOverrideConfiguration QUICK = ClientOverrideConfiguration.builder()
            .apiCallTimeout(Duration.ofSeconds(3))
            .retryStrategy(b -> b.maxAttempts(1))
            .build();

    @Bean(destroyMethod = "close")
    KinesisClient kinesisClient(
            AwsClientBuilderConfigurer configurer,
            KinesisProperties kinesis,
            ObjectProvider<AwsConnectionDetails> connection) {
        return configurer
                .configure(KinesisClient.builder(), kinesis, connection.getIfAvailable())
                .overrideConfiguration(QUICK)
                .httpClientBuilder(http())
                .build();
    }

    @Bean(destroyMethod = "close")
    DynamoDbClient dynamoDbClient(
            AwsClientBuilderConfigurer configurer,
            DynamoDbProperties dynamo,
            ObjectProvider<AwsConnectionDetails> connection) {
        return configurer
                .configure(DynamoDbClient.builder(), dynamo, connection.getIfAvailable())
                .overrideConfiguration(QUICK)
                .httpClientBuilder(http())
                .build();
    }

    @Bean(destroyMethod = "close")
    S3Client s3Client(
            AwsClientBuilderConfigurer configurer, S3Properties s3, ObjectProvider<AwsConnectionDetails> connection) {
        return configurer
                .configure(S3Client.builder(), s3, connection.getIfAvailable())
                .forcePathStyle(Boolean.TRUE.equals(s3.getPathStyleAccessEnabled()))
                .overrideConfiguration(QUICK)
                .httpClientBuilder(http())
                .build();
    }

    private static Apache5HttpClient.Builder http() {
        return Apache5HttpClient.builder().maxConnections(8).connectionTimeout(Duration.ofSeconds(1));
    }
}
