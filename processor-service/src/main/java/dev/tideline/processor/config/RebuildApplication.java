package dev.tideline.processor.config;

import dev.tideline.kcl.KclClients;
import dev.tideline.kcl.KclClientsConfiguration;
import dev.tideline.kcl.KclConsumer;
import dev.tideline.processor.apply.ApplySettings;
import dev.tideline.processor.archive.AthenaQueries;
import dev.tideline.processor.archive.S3ArchiveSource;
import dev.tideline.processor.archive.S3Results;
import dev.tideline.processor.consume.ApplierSink;
import dev.tideline.processor.consume.ProcessorMetrics;
import dev.tideline.processor.generation.Generation;
import dev.tideline.processor.generation.GenerationStores;
import dev.tideline.processor.generation.Generations;
import dev.tideline.processor.rebuild.AthenaFold;
import dev.tideline.processor.rebuild.FoldEngine;
import dev.tideline.processor.rebuild.LocalFold;
import dev.tideline.processor.rebuild.Rebuild;
import dev.tideline.processor.rebuild.RebuildRefusedException;
import dev.tideline.processor.store.DynamoGenerations;
import dev.tideline.processor.store.DynamoItemLoader;
import dev.tideline.processor.store.KclLeaseTables;
import dev.tideline.processor.store.KinesisStreamPositions;
import io.awspring.cloud.autoconfigure.core.AwsClientBuilderConfigurer;
import io.awspring.cloud.autoconfigure.core.AwsConnectionDetails;
import io.awspring.cloud.autoconfigure.s3.properties.S3Properties;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.NestedExceptionUtils;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.services.athena.AthenaClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The rebuild as a command of the processor's image ({@code java -jar processor-service.jar rebuild}):
 * the processor's clients and settings, no web server and no consumer of the current generation;
 * the new generation's consumer runs only while it catches up. Not a component, so the service's
 * scan never picks it up. Exits 0 once the new generation is served (or the rebuild under way is
 * abandoned, with {@code tideline.rebuild.abandon}), 2 when the rebuild is refused, 1 on a failure
 * (run it again to go on).
 */
@EnableAutoConfiguration
@EnableConfigurationProperties({RebuildProperties.class, S3Properties.class})
@Import({AwsClientsConfiguration.class, KclClientsConfiguration.class})
public class RebuildApplication {

    private static final Logger log = LoggerFactory.getLogger(RebuildApplication.class);

    public static int run(String[] args) {
        ConfigurableApplicationContext started;
        try {
            started = Commands.context(RebuildApplication.class, args);
        } catch (RuntimeException e) {
            // Its settings, most often: running it again as it is would not help.
            log.error(
                    "The rebuild cannot start: {}",
                    NestedExceptionUtils.getMostSpecificCause(e).getMessage(),
                    e);
            return 1;
        }
        try (ConfigurableApplicationContext context = started) {
            Rebuild rebuild = context.getBean(Rebuild.class);
            if (context.getBean(RebuildProperties.class).abandon()) {
                rebuild.abandon();
                return 0;
            }
            Generation served = rebuild.run();
            log.info("Rebuild done: {} is served", served);
            return 0;
        } catch (RebuildRefusedException e) {
            log.error("Rebuild refused: {}", e.getMessage());
            return 2;
        } catch (Exception e) {
            log.error("Rebuild failed; run it again to go on from where it stopped", e);
            return 1;
        }
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /** At least a connection for each download the copy runs at once (copy-concurrency). */
    @Bean(destroyMethod = "close")
    S3Client s3Client(
            AwsClientBuilderConfigurer configurer,
            S3Properties s3,
            ObjectProvider<AwsConnectionDetails> connection,
            RebuildProperties r) {
        return configurer
                .configure(S3Client.builder(), s3, connection.getIfAvailable())
                .forcePathStyle(Boolean.TRUE.equals(s3.getPathStyleAccessEnabled()))
                .httpClientBuilder(Apache5HttpClient.builder().maxConnections(Math.max(16, r.copyConcurrency())))
                .build();
    }

    @Bean
    Rebuild rebuild(
            ProcessorProperties p,
            RebuildProperties r,
            DynamoDbClient dynamo,
            DynamoDbAsyncClient dynamoAsync,
            S3Client s3,
            ObjectProvider<AthenaClient> athena,
            KclClients clients,
            MeterRegistry registry,
            Clock clock) {
        var a = p.aggregates();
        ApplySettings apply = ProcessorConfiguration.settingsOf(p);
        Generations generations =
                new DynamoGenerations(dynamo, p.table(), p.kcl().application());
        GenerationStores stores = ProcessorConfiguration.storesOf(dynamo, generations, p, clock);
        ProcessorMetrics metrics = new ProcessorMetrics(registry);
        LoggedProgress progress =
                new LoggedProgress(registry, clock, LoggerFactory.getLogger("dev.tideline.rebuild")::info);
        S3ArchiveSource archive = new S3ArchiveSource(s3, r.bucket());
        return new Rebuild(
                new Rebuild.Settings(
                        p.table(),
                        p.kcl().application(),
                        r.archiverApplication(),
                        r.from(),
                        r.to(),
                        r.keep() ? null : r.keepPrevious(),
                        r.catchUpTimeout(),
                        r.catchUpPoll(),
                        r.writeBatch(),
                        apply),
                generations,
                g -> new DynamoItemLoader(dynamo, g.table(p.table()), a.pageMinuteTtl(), r.writeConcurrency(), clock),
                archive,
                new KclLeaseTables(dynamoAsync),
                new KinesisStreamPositions(clients.kinesis(), p.kcl().stream()),
                engine(r, archive, s3, athena.getIfAvailable(), progress),
                (generation, settings) -> {
                    KclConsumer consumer = KclConsumer.create(
                            p.kcl(),
                            () -> generation.application(p.kcl().application()),
                            clients,
                            ApplierSink.sinks(stores.of(generation), settings, metrics, clock),
                            false,
                            clock);
                    consumer.start();
                    return consumer::stop;
                },
                progress,
                clock);
    }

    /** Athena's client, when the rebuild folds there; the context closes it. */
    @Bean
    @ConditionalOnProperty(name = "tideline.rebuild.engine", havingValue = "athena")
    AthenaClient athena(AwsClientBuilderConfigurer configurer) {
        return configurer
                .configure(AthenaClient.builder())
                .httpClientBuilder(Apache5HttpClient.builder())
                .build();
    }

    /** DuckDB over a copy of the archive, or Athena over its Glue table. */
    private static FoldEngine engine(
            RebuildProperties r,
            S3ArchiveSource archive,
            S3Client s3,
            @Nullable AthenaClient athena,
            LoggedProgress progress) {
        if (r.engine() == RebuildProperties.Engine.DUCKDB) {
            return new LocalFold(archive, r.work(), r.copyConcurrency(), RebuildApplication::duckDb, progress);
        }
        RebuildProperties.Athena a = r.athena();
        if (a.results() == null) {
            throw new IllegalStateException("tideline.rebuild.athena.results must name where Athena writes"
                    + " (s3://bucket/prefix/) when tideline.rebuild.engine is athena");
        }
        return new AthenaFold(
                new AthenaFold.Settings(a.database(), a.table(), r.work()),
                new AthenaQueries(Objects.requireNonNull(athena, "no Athena client"), a.workGroup(), a.database()),
                new S3Results(s3, a.results()),
                RebuildApplication::duckDb,
                progress);
    }

    private static Connection duckDb() {
        try {
            return DriverManager.getConnection("jdbc:duckdb:");
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "DuckDB cannot be opened (./tideline rebuild puts it on the class path): " + e.getMessage(), e);
        }
    }
}
