package dev.tideline.processor.config;

import dev.tideline.kcl.KclClients;
import dev.tideline.kcl.KclConsumer;
import dev.tideline.kcl.KclSettings;
import dev.tideline.kcl.SchedulerLiveness;
import dev.tideline.processor.apply.AggregateStore;
import dev.tideline.processor.apply.ApplySettings;
import dev.tideline.processor.apply.DedupeSettings;
import dev.tideline.processor.consume.KclWorker;
import dev.tideline.processor.consume.ProcessorMetrics;
import dev.tideline.processor.store.DynamoAggregateStore;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The store, the metrics and the KCL worker, from {@link ProcessorProperties}. */
@Configuration(proxyBeanMethods = false)
class ProcessorConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    AggregateStore aggregateStore(DynamoDbClient dynamo, ProcessorProperties p, Clock clock) {
        var a = p.aggregates();
        AggregateStore store = new DynamoAggregateStore(
                dynamo,
                p.table(),
                p.stream(),
                new DynamoAggregateStore.StoreSettings(
                        a.pageMinuteTtl(), a.deadLetterTtl(), a.endedShardTtl(), a.writeConcurrency()),
                clock);
        Duration pause = p.fault().pauseBeforeWrite();
        return pause.isZero() ? store : new PausingStore(store, pause);
    }

    // Not "processorMetrics": Spring Boot's system metrics own that bean name.
    @Bean
    ProcessorMetrics tidelineProcessorMetrics(MeterRegistry registry) {
        return new ProcessorMetrics(registry);
    }

    @Bean
    KclConsumer kclConsumer(
            ProcessorProperties p, KclClients clients, AggregateStore store, ProcessorMetrics metrics, Clock clock) {
        var a = p.aggregates();
        var apply = new ApplySettings(
                a.sessionGap(),
                a.maxEventTypes(),
                new DedupeSettings(a.dedupeWindow(), a.dedupeMaxIds()),
                a.userCacheSize(),
                Duration.ofMillis(100),
                Duration.ofSeconds(5));
        KclConsumer consumer = KclWorker.consumer(kclSettings(p), clients, store, apply, metrics, clock);
        metrics.reportWhile(consumer::alive);
        return consumer;
    }

    /** In the liveness group: a dead KCL scheduler fails the container's health check. */
    @Bean
    SchedulerLiveness kclHealthIndicator(KclConsumer consumer) {
        return new SchedulerLiveness(consumer);
    }

    static KclSettings kclSettings(ProcessorProperties p) {
        return p.kcl().settings(p.stream(), p.application(), p.workerId(), false);
    }
}
