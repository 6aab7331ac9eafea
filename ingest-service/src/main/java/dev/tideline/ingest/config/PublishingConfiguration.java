package dev.tideline.ingest.config;

import dev.tideline.ingest.publish.AggregatingPublisher;
import dev.tideline.ingest.publish.EventPublisher;
import dev.tideline.ingest.publish.KinesisStreamGateway;
import dev.tideline.ingest.publish.PublisherMetrics;
import dev.tideline.web.KinesisProperties;
import io.awspring.cloud.autoconfigure.core.AwsClientBuilderConfigurer;
import io.awspring.cloud.autoconfigure.core.AwsConnectionDetails;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;

/** The Kinesis client, built the way Spring Cloud AWS builds every client, and the publisher on it. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({IngestProperties.class, KinesisProperties.class})
class PublishingConfiguration {

    @Bean(destroyMethod = "close")
    KinesisAsyncClient kinesisAsyncClient(
            AwsClientBuilderConfigurer configurer,
            KinesisProperties kinesis,
            IngestProperties ingest,
            ObjectProvider<AwsConnectionDetails> connection) {
        // HTTP/1.1: PutRecords gains nothing from HTTP/2, and the local Kinesis speaks it on plain HTTP.
        return configurer
                .configure(KinesisAsyncClient.builder(), kinesis, connection.getIfAvailable())
                // A call that hangs must not outlive the requests waiting on it.
                .overrideConfiguration(c -> c.apiCallTimeout(ingest.deadline()))
                .httpClientBuilder(NettyNioAsyncHttpClient.builder()
                        .protocol(Protocol.HTTP1_1)
                        .maxConcurrency(ingest.maxConcurrentCalls() + 4)
                        .connectionAcquisitionTimeout(Duration.ofSeconds(5)))
                .build();
    }

    @Bean(destroyMethod = "close")
    AggregatingPublisher eventPublisher(KinesisAsyncClient kinesis, IngestProperties p, MeterRegistry registry) {
        return new AggregatingPublisher(
                new KinesisStreamGateway(kinesis, p.stream()), p, new PublisherMetrics(registry), Clock.systemUTC());
    }

    @Bean
    StreamHealthIndicator streamHealthIndicator(EventPublisher publisher) {
        return new StreamHealthIndicator(publisher);
    }
}
