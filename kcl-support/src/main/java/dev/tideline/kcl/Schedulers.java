package dev.tideline.kcl;

import software.amazon.kinesis.common.ConfigsBuilder;
import software.amazon.kinesis.coordinator.Scheduler;
import software.amazon.kinesis.metrics.MetricsConfig;
import software.amazon.kinesis.metrics.NullMetricsFactory;
import software.amazon.kinesis.processor.ShardRecordProcessorFactory;
import software.amazon.kinesis.processor.SingleStreamTracker;
import software.amazon.kinesis.retrieval.RetrievalSpecificConfig;
import software.amazon.kinesis.retrieval.fanout.FanOutConfig;
import software.amazon.kinesis.retrieval.polling.PollingConfig;

/** Assembles a KCL {@link Scheduler} for one stream from {@link KclSettings}. */
public final class Schedulers {

    private Schedulers() {}

    public static Scheduler create(KclSettings s, KclClients clients, ShardRecordProcessorFactory factory) {
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
                configs.processorConfig().callProcessRecordsEvenForEmptyRecordList(s.emptyBatches()),
                configs.retrievalConfig().retrievalSpecificConfig(retrieval));
    }
}
