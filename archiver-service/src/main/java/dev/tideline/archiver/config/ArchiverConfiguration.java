package dev.tideline.archiver.config;

import dev.tideline.archiver.archive.ArchiverSettings;
import dev.tideline.archiver.consume.ArchiverMetrics;
import dev.tideline.archiver.consume.ArchiverWorker;
import dev.tideline.archiver.consume.FaultHook;
import dev.tideline.archiver.store.ArchiveObjects;
import dev.tideline.kcl.KclClients;
import dev.tideline.kcl.KclConsumer;
import dev.tideline.kcl.KclProperties.Retrieval;
import io.awspring.cloud.autoconfigure.core.AwsClientBuilderConfigurer;
import io.awspring.cloud.autoconfigure.dynamodb.DynamoDbProperties;
import io.awspring.cloud.autoconfigure.metrics.CloudWatchProperties;
import io.awspring.cloud.autoconfigure.s3.properties.S3Properties;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The AWS clients, each built the way Spring Cloud AWS builds its own, and the KCL worker that
 * archives the stream.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({
    ArchiverProperties.class,
    KinesisProperties.class,
    DynamoDbProperties.class,
    CloudWatchProperties.class,
    S3Properties.class
})
class ArchiverConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean(destroyMethod = "close")
    KinesisAsyncClient kinesisAsyncClient(
            AwsClientBuilderConfigurer configurer, KinesisProperties kinesis, ArchiverProperties archiver) {
        // Enhanced fan-out's SubscribeToShard needs HTTP/2; GetRecords polling gains nothing from it.
        Protocol protocol = archiver.kcl().retrieval() == Retrieval.FAN_OUT ? Protocol.HTTP2 : Protocol.HTTP1_1;
        return configurer
                .configure(KinesisAsyncClient.builder(), kinesis, null)
                .httpClientBuilder(NettyNioAsyncHttpClient.builder()
                        .protocol(protocol)
                        .connectionAcquisitionTimeout(Duration.ofSeconds(10)))
                .build();
    }

    @Bean(destroyMethod = "close")
    DynamoDbAsyncClient dynamoDbAsyncClient(AwsClientBuilderConfigurer configurer, DynamoDbProperties dynamo) {
        return configurer.configure(DynamoDbAsyncClient.builder(), dynamo, null).build();
    }

    /** KCL's metrics go here on AWS; the client is made but never called when they are off. */
    @Bean(destroyMethod = "close")
    CloudWatchAsyncClient cloudWatchAsyncClient(
            AwsClientBuilderConfigurer configurer, CloudWatchProperties cloudWatch) {
        return configurer
                .configure(CloudWatchAsyncClient.builder(), cloudWatch, null)
                .build();
    }

    @Bean(destroyMethod = "close")
    S3Client s3Client(AwsClientBuilderConfigurer configurer, S3Properties s3) {
        return configurer
                .configure(S3Client.builder(), s3, null)
                .forcePathStyle(Boolean.TRUE.equals(s3.getPathStyleAccessEnabled()))
                .httpClientBuilder(ApacheHttpClient.builder().maxConnections(32))
                .build();
    }

    @Bean
    AwsHealthIndicator awsHealthIndicator(KinesisAsyncClient kinesis, S3Client s3, ArchiverProperties p) {
        return new AwsHealthIndicator(kinesis, s3, p);
    }

    @Bean
    ArchiverMetrics archiverMetrics(MeterRegistry registry, Clock clock) {
        return new ArchiverMetrics(registry, clock);
    }

    @Bean
    KclConsumer kclConsumer(
            ArchiverProperties p,
            KinesisAsyncClient kinesis,
            DynamoDbAsyncClient dynamo,
            CloudWatchAsyncClient cloudWatch,
            S3Client s3,
            ArchiverMetrics metrics,
            Clock clock) {
        var buffer = p.buffer();
        var settings = new ArchiverSettings(buffer.size().toBytes(), buffer.interval(), buffer.codec(), spool(p));
        return ArchiverWorker.consumer(
                p.kcl().settings(p.stream(), p.application(), p.workerId(), true),
                new KclClients(kinesis, dynamo, cloudWatch),
                new ArchiveObjects(s3, p.bucket()),
                settings,
                metrics,
                clock,
                new FaultHook(p.fault().haltBeforeCheckpoint()));
    }

    private static Path spool(ArchiverProperties p) {
        try {
            Path dir = p.buffer().spool() != null
                    ? p.buffer().spool()
                    : Path.of(
                            System.getProperty("java.io.tmpdir"),
                            "tideline-archiver-" + ProcessHandle.current().pid());
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the archiver's spool directory", e);
        }
    }
}
