package dev.tideline.kcl;

import java.util.HashSet;
import java.util.Set;
import software.amazon.kinesis.common.ConfigsBuilder;
import software.amazon.kinesis.coordinator.Scheduler;
import software.amazon.kinesis.metrics.MetricsConfig;
import software.amazon.kinesis.metrics.MetricsLevel;
import software.amazon.kinesis.metrics.MetricsUtil;
import software.amazon.kinesis.metrics.NullMetricsFactory;
import software.amazon.kinesis.processor.ShardRecordProcessorFactory;
import software.amazon.kinesis.processor.SingleStreamTracker;
import software.amazon.kinesis.retrieval.RetrievalSpecificConfig;
import software.amazon.kinesis.retrieval.fanout.FanOutConfig;
import software.amazon.kinesis.retrieval.polling.PollingConfig;

/** Assembles a KCL {@link Scheduler} for one stream from {@link KclSettings}. */
public final class Schedulers {

    /**
     * KCL's own CloudWatch dimensions: per operation and per shard, which the dashboard's
     * {@code MillisBehindLatest} and the runbook's hot-shard check read. KCL's default adds the
     * worker id, a billed series per shard and task that nobody reads.
     */
    static final Set<String> KCL_DIMENSIONS =
            Set.of(MetricsUtil.OPERATION_DIMENSION_NAME, MetricsUtil.SHARD_ID_DIMENSION_NAME);

    private Schedulers() {}

    /** KCL's metrics at {@code SUMMARY} (KCL's default is {@code DETAILED}), or none. */
    static MetricsConfig metrics(MetricsConfig config, boolean cloudWatch) {
        return cloudWatch
                ? config.metricsLevel(MetricsLevel.SUMMARY).metricsEnabledDimensions(new HashSet<>(KCL_DIMENSIONS))
                : config.metricsFactory(new NullMetricsFactory());
    }

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
        MetricsConfig metrics = metrics(configs.metricsConfig(), s.cloudWatchMetrics());
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
