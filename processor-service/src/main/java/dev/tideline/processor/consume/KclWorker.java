package dev.tideline.processor.consume;

import dev.tideline.processor.apply.AggregateStore;
import dev.tideline.processor.apply.ApplySettings;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicBoolean;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.kinesis.common.ConfigsBuilder;
import software.amazon.kinesis.coordinator.Scheduler;
import software.amazon.kinesis.metrics.MetricsConfig;
import software.amazon.kinesis.metrics.NullMetricsFactory;
import software.amazon.kinesis.processor.SingleStreamTracker;
import software.amazon.kinesis.retrieval.RetrievalSpecificConfig;
import software.amazon.kinesis.retrieval.fanout.FanOutConfig;
import software.amazon.kinesis.retrieval.polling.PollingConfig;

/** Assembles a KCL worker that applies the stream to an {@link AggregateStore}. */
public final class KclWorker {

    private KclWorker() {}

    /** The clients KCL reads the stream, keeps leases and publishes its metrics with. */
    public record Clients(KinesisAsyncClient kinesis, DynamoDbAsyncClient dynamo, CloudWatchAsyncClient cloudWatch) {}

    public static KclConsumer consumer(
            KclSettings settings,
            Clients clients,
            AggregateStore store,
            ApplySettings apply,
            ProcessorMetrics metrics,
            Clock clock) {
        AtomicBoolean stopping = new AtomicBoolean();
        ShardContext context = new ShardContext(
                store,
                apply,
                metrics,
                new ShardLineage(clients.kinesis(), settings.stream()),
                settings.checkpointInterval(),
                stopping::get);
        return new KclConsumer(
                () -> scheduler(settings, clients, new ShardProcessorFactory(context, clock)),
                settings.shutdownTimeout(),
                stopping);
    }

    private static Scheduler scheduler(KclSettings s, Clients clients, ShardProcessorFactory factory) {
        ConfigsBuilder configs = new ConfigsBuilder(
                new SingleStreamTracker(s.stream(), s.initialPosition()),
                s.application(),
                clients.kinesis(),
                clients.dynamo(),
                clients.cloudWatch(),
                s.workerId(),
                factory);
        RetrievalSpecificConfig retrieval = s.fanOutConsumer() != null
                ? new FanOutConfig(clients.kinesis())
                        .streamName(s.stream())
                        .applicationName(s.application())
                        .consumerName(s.fanOutConsumer())
                : new PollingConfig(s.stream(), clients.kinesis())
                        .idleTimeBetweenReadsInMillis(s.pollInterval().toMillis())
                        .maxRecords(s.maxRecords());
        MetricsConfig metrics = s.cloudWatchMetrics()
                ? configs.metricsConfig()
                : configs.metricsConfig().metricsFactory(new NullMetricsFactory());
        return new Scheduler(
                configs.checkpointConfig(),
                configs.coordinatorConfig()
                        .parentShardPollIntervalMillis(s.parentPollInterval().toMillis()),
                configs.leaseManagementConfig()
                        .failoverTimeMillis(s.failoverTime().toMillis())
                        .shardSyncIntervalMillis(s.shardSyncInterval().toMillis()),
                configs.lifecycleConfig(),
                metrics,
                configs.processorConfig(),
                configs.retrievalConfig().retrievalSpecificConfig(retrieval));
    }
}
