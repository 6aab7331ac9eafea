package dev.tideline.processor.config;

import dev.tideline.kcl.KclWorkerConfiguration;
import dev.tideline.kcl.ShardSinks;
import dev.tideline.model.retry.Backoff;
import dev.tideline.processor.apply.AggregateStore;
import dev.tideline.processor.apply.ApplySettings;
import dev.tideline.processor.apply.DedupeSettings;
import dev.tideline.processor.consume.ApplierSink;
import dev.tideline.processor.consume.ProcessorMetrics;
import dev.tideline.processor.store.DynamoAggregateStore;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The store, the metrics and the shards' sinks, from {@link ProcessorProperties}; the KCL worker comes from kcl-support. */
@Configuration(proxyBeanMethods = false)
@Import(KclWorkerConfiguration.class)
class ProcessorConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    AggregateStore aggregateStore(DynamoDbClient dynamo, ProcessorProperties p, Clock clock) {
        var a = p.aggregates();
        return new DynamoAggregateStore(
                dynamo,
                p.table(),
                p.kcl().stream(),
                new DynamoAggregateStore.StoreSettings(
                        a.pageMinuteTtl(), a.deadLetterTtl(), a.endedShardTtl(), a.writeConcurrency()),
                clock);
    }

    // Not "processorMetrics": Spring Boot's system metrics own that bean name.
    @Bean
    ProcessorMetrics tidelineProcessorMetrics(MeterRegistry registry) {
        return new ProcessorMetrics(registry);
    }

    /** Each shard's sink: its batches applied to the store. */
    @Bean
    ShardSinks applierSinks(ProcessorProperties p, AggregateStore store, ProcessorMetrics metrics, Clock clock) {
        var a = p.aggregates();
        var apply = new ApplySettings(
                a.sessionGap(),
                a.maxEventTypes(),
                new DedupeSettings(a.dedupeWindow(), a.dedupeMaxIds()),
                a.userCacheSize(),
                Backoff.DEFAULT);
        return ApplierSink.sinks(store, apply, metrics, clock);
    }
}
