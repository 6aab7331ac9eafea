package dev.tideline.processor.config;

import dev.tideline.processor.apply.AggregateStore;
import dev.tideline.processor.apply.ApplySettings;
import dev.tideline.processor.config.ProcessorProperties.Retrieval;
import dev.tideline.processor.consume.KclConsumer;
import dev.tideline.processor.consume.KclSettings;
import dev.tideline.processor.consume.KclWorker;
import dev.tideline.processor.consume.ProcessorMetrics;
import dev.tideline.processor.store.DynamoAggregateStore;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.kinesis.common.InitialPositionInStream;
import software.amazon.kinesis.common.InitialPositionInStreamExtended;

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
        return new DynamoAggregateStore(
                dynamo,
                p.table(),
                p.stream(),
                workerId(p),
                new DynamoAggregateStore.StoreSettings(a.pageMinuteTtl(), a.deadLetterTtl(), a.closedMarkerTtl()),
                clock);
    }

    // Not "processorMetrics": Spring Boot's system metrics own that bean name.
    @Bean
    ProcessorMetrics tidelineProcessorMetrics(MeterRegistry registry) {
        return new ProcessorMetrics(registry);
    }

    @Bean
    KclConsumer kclConsumer(
            ProcessorProperties p,
            KinesisAsyncClient kinesis,
            DynamoDbAsyncClient dynamo,
            CloudWatchAsyncClient cloudWatch,
            AggregateStore store,
            ProcessorMetrics metrics,
            Clock clock) {
        var a = p.aggregates();
        var apply = new ApplySettings(
                a.sessionGap(),
                a.maxTransactionItems(),
                a.maxEventTypes(),
                a.userCacheSize(),
                Duration.ofMillis(100),
                Duration.ofSeconds(5));
        return KclWorker.consumer(
                kclSettings(p), new KclWorker.Clients(kinesis, dynamo, cloudWatch), store, apply, metrics, clock);
    }

    static KclSettings kclSettings(ProcessorProperties p) {
        var k = p.kcl();
        InitialPositionInStreamExtended initial =
                switch (k.initialPosition()) {
                    case TRIM_HORIZON ->
                        InitialPositionInStreamExtended.newInitialPosition(InitialPositionInStream.TRIM_HORIZON);
                    case LATEST -> InitialPositionInStreamExtended.newInitialPosition(InitialPositionInStream.LATEST);
                    case AT_TIMESTAMP ->
                        InitialPositionInStreamExtended.newInitialPositionAtTimestamp(
                                java.util.Date.from(java.util.Objects.requireNonNull(k.initialTimestamp())));
                };
        return new KclSettings(
                p.stream(),
                p.application(),
                workerId(p),
                initial,
                k.retrieval() == Retrieval.FAN_OUT ? k.fanOutConsumer() : null,
                k.pollInterval(),
                k.maxRecords(),
                k.failoverTime(),
                k.shardSyncInterval(),
                k.parentPollInterval(),
                k.checkpointInterval(),
                k.cloudWatchMetrics(),
                k.shutdownTimeout());
    }

    /** The configured worker id, else host name and pid, which is unique and says where to look. */
    static String workerId(ProcessorProperties p) {
        if (p.workerId() != null && !p.workerId().isBlank()) {
            return p.workerId();
        }
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "unknown-host";
        }
        return host + ":" + ProcessHandle.current().pid();
    }
}
