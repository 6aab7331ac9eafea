package dev.tideline.processor.config;

import dev.tideline.kcl.KclApplication;
import dev.tideline.kcl.KclConsumer;
import dev.tideline.kcl.KclWorkerConfiguration;
import dev.tideline.kcl.ShardSinks;
import dev.tideline.model.retry.Backoff;
import dev.tideline.processor.apply.ApplySettings;
import dev.tideline.processor.apply.DedupeSettings;
import dev.tideline.processor.consume.ApplierSink;
import dev.tideline.processor.consume.ProcessorMetrics;
import dev.tideline.processor.generation.GenerationStores;
import dev.tideline.processor.generation.GenerationWatch;
import dev.tideline.processor.generation.Generations;
import dev.tideline.processor.store.DynamoAggregateStore;
import dev.tideline.processor.store.DynamoGenerations;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The generations' stores, the pointer and its watch, the metrics and the shards' sinks, from
 * {@link ProcessorProperties}; the KCL worker comes from kcl-support, on the lease table of the
 * generation the watch says is current.
 */
@Configuration(proxyBeanMethods = false)
@Import(KclWorkerConfiguration.class)
class ProcessorConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    Generations generations(DynamoDbClient dynamo, ProcessorProperties p) {
        return new DynamoGenerations(dynamo, p.table(), p.kcl().application());
    }

    /** Each generation's store; dead letters all go to the first generation's table. */
    @Bean(destroyMethod = "")
    GenerationStores generationStores(
            DynamoDbClient dynamo, Generations generations, ProcessorProperties p, Clock clock) {
        return storesOf(dynamo, generations, p, clock);
    }

    /** Each generation's store, for the service and for the rebuild's catch-up alike. */
    static GenerationStores storesOf(
            DynamoDbClient dynamo, Generations generations, ProcessorProperties p, Clock clock) {
        var a = p.aggregates();
        var settings = new DynamoAggregateStore.StoreSettings(
                a.pageMinuteTtl(), a.deadLetterTtl(), a.endedShardTtl(), a.writeConcurrency());
        return new GenerationStores(
                generations,
                g -> new DynamoAggregateStore(dynamo, g.table(p.table()), p.table(), p.kcl().stream(), settings, clock),
                p.generationRefresh(),
                clock);
    }

    @Bean(destroyMethod = "close")
    GenerationWatch generationWatch(
            Generations generations, ObjectProvider<KclConsumer> consumer, ProcessorProperties p, Clock clock) {
        GenerationWatch watch = new GenerationWatch(
                generations,
                () -> {
                    KclConsumer c = consumer.getObject();
                    // Only a running consumer moves: one the shutdown stopped stays stopped.
                    synchronized (c) {
                        if (c.isRunning()) {
                            c.stop();
                            c.start();
                        }
                    }
                },
                clock);
        watch.start(p.generationRefresh());
        return watch;
    }

    /** The consumer's lease table: the generation's that is current when it starts. */
    @Bean
    KclApplication generationApplication(GenerationWatch watch, ProcessorProperties p) {
        return () -> watch.starting().application(p.kcl().application());
    }

    // Not "processorMetrics": Spring Boot's system metrics own that bean name.
    @Bean
    ProcessorMetrics tidelineProcessorMetrics(MeterRegistry registry) {
        return new ProcessorMetrics(registry);
    }

    @Bean
    ApplySettings applySettings(ProcessorProperties p) {
        return settingsOf(p);
    }

    static ApplySettings settingsOf(ProcessorProperties p) {
        var a = p.aggregates();
        return new ApplySettings(
                a.sessionGap(),
                a.maxEventTypes(),
                new DedupeSettings(a.dedupeWindow(), a.dedupeMaxIds()),
                a.userCacheSize(),
                Backoff.DEFAULT,
                p.dropUnknownFields());
    }

    /** Each shard's sink: its batches applied to the store of the generation the consumer keeps. */
    @Bean
    ShardSinks applierSinks(
            GenerationStores stores,
            GenerationWatch watch,
            ApplySettings apply,
            ProcessorMetrics metrics,
            Clock clock) {
        return (shardId, stopping) -> ApplierSink.sinks(
                        stores.of(watch.running()), watch.settings(apply), metrics, clock)
                .open(shardId, stopping);
    }
}
