package dev.tideline.archiver.config;

import dev.tideline.archiver.archive.ArchiverSettings;
import dev.tideline.archiver.consume.ArchiverMetrics;
import dev.tideline.archiver.consume.ArchiverSink;
import dev.tideline.archiver.parquet.RowGroupBudget;
import dev.tideline.archiver.store.ArchiveObjects;
import dev.tideline.kcl.KclWorkerConfiguration;
import dev.tideline.kcl.ShardSinks;
import dev.tideline.kcl.StreamReadiness;
import dev.tideline.model.retry.Backoff;
import io.awspring.cloud.autoconfigure.core.AwsClientBuilderConfigurer;
import io.awspring.cloud.autoconfigure.core.AwsConnectionDetails;
import io.awspring.cloud.autoconfigure.s3.properties.S3Properties;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The S3 client, built the way Spring Cloud AWS builds its clients, the metrics and the shards'
 * sinks; the KCL worker and its clients come from kcl-support.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ArchiverProperties.class, S3Properties.class})
@Import(KclWorkerConfiguration.class)
class ArchiverConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean(destroyMethod = "close")
    S3Client s3Client(
            AwsClientBuilderConfigurer configurer, S3Properties s3, ObjectProvider<AwsConnectionDetails> connection) {
        return configurer
                .configure(S3Client.builder(), s3, connection.getIfAvailable())
                .forcePathStyle(Boolean.TRUE.equals(s3.getPathStyleAccessEnabled()))
                .httpClientBuilder(Apache5HttpClient.builder().maxConnections(32))
                .build();
    }

    /** Readiness: the stream can be described and the archive bucket answers. */
    @Bean
    StreamReadiness awsHealthIndicator(KinesisAsyncClient kinesis, S3Client s3, ArchiverProperties p) {
        return new StreamReadiness(kinesis, p.kcl().stream(), () -> {
            s3.headBucket(r -> r.bucket(p.bucket()));
            return Map.of("bucket", p.bucket());
        });
    }

    @Bean
    ArchiverMetrics archiverMetrics(MeterRegistry registry, Clock clock) {
        return new ArchiverMetrics(registry, clock);
    }

    /** Each shard's sink: its records buffered into objects in the bucket. */
    @Bean
    ShardSinks archiverSinks(ArchiverProperties p, S3Client s3, ArchiverMetrics metrics, Clock clock) {
        var buffer = p.buffer();
        var settings = new ArchiverSettings(
                buffer.size().toBytes(),
                buffer.interval(),
                buffer.codec(),
                spool(p),
                new RowGroupBudget(buffer.memory().toBytes()),
                p.dedupe().window(),
                p.dedupe().maxIds(),
                Backoff.DEFAULT);
        return ArchiverSink.sinks(
                new ArchiveObjects(s3, p.bucket(), p.upload().partSize().toBytes()), settings, metrics, clock);
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
