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

/** Assembles a KCL {@link Scheduler} for one consumer of a stream from its properties. */
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

    static Scheduler create(
            KclProperties kcl,
            String workerId,
            KclClients clients,
            ShardRecordProcessorFactory factory,
            boolean emptyBatches) {
        String fanOut = kcl.fanOutConsumerName();
        ConfigsBuilder configs = new ConfigsBuilder(
                new SingleStreamTracker(kcl.stream(), kcl.initialPositionInStream()),
                kcl.application(),
                clients.kinesis(),
                clients.dynamo(),
                clients.cloudWatch(),
                workerId,
                factory);
        RetrievalSpecificConfig retrieval = fanOut != null
                ? new FanOutConfig(clients.kinesis())
                        .streamName(kcl.stream())
                        .applicationName(kcl.application())
                        .consumerName(fanOut)
                : new PollingConfig(kcl.stream(), clients.kinesis())
                        .idleTimeBetweenReadsInMillis(kcl.pollInterval().toMillis())
                        .maxRecords(kcl.maxRecords());
        MetricsConfig metrics = metrics(configs.metricsConfig(), kcl.cloudWatchMetrics());
        return new Scheduler(
                configs.checkpointConfig(),
                configs.coordinatorConfig()
                        .parentShardPollIntervalMillis(kcl.parentPollInterval().toMillis()),
                configs.leaseManagementConfig()
                        .failoverTimeMillis(kcl.failoverTime().toMillis())
                        .shardSyncIntervalMillis(kcl.shardSyncInterval().toMillis()),
                configs.lifecycleConfig(),
                metrics,
                configs.processorConfig().callProcessRecordsEvenForEmptyRecordList(emptyBatches),
                configs.retrievalConfig().retrievalSpecificConfig(retrieval));
    }
}
