package dev.tideline.ingest.publish;

import dev.tideline.ingest.publish.PublishRejectedException.Reason;
import dev.tideline.model.metrics.Meters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The publisher's meters: what operators watch to see batching, retries and back-pressure at work.
 * The names come from {@link Meters}, which the CDK dashboard and alarms read too.
 */
public final class PublisherMetrics {

    private final MeterRegistry registry;
    private final Counter calls;
    private final Counter kinesisRecords;
    private final Counter userRecords;
    private final DistributionSummary perAggregate;
    private final Timer latency;
    private final Counter misplaced;
    private final Counter refreshes;
    private final Counter throttles;

    public PublisherMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.calls = Counter.builder(Meters.INGEST_PUTRECORDS_CALLS.name())
                .description("PutRecords calls made")
                .register(registry);
        this.kinesisRecords = Counter.builder(Meters.INGEST_KINESIS_RECORDS.name())
                .description("Kinesis records sent (KPL aggregates)")
                .register(registry);
        this.userRecords = Counter.builder(Meters.INGEST_USER_RECORDS.name())
                .description("user records sent inside aggregates, retries included")
                .register(registry);
        this.perAggregate = DistributionSummary.builder(Meters.INGEST_AGGREGATE_USER_RECORDS.name())
                .description("user records per Kinesis record")
                .register(registry);
        this.latency = Timer.builder(Meters.INGEST_PUBLISH_LATENCY.name())
                .description("from publish to the stream's acknowledgement")
                .publishPercentileHistogram()
                .register(registry);
        this.misplaced = Counter.builder(Meters.INGEST_MISPLACED_AGGREGATES.name())
                .description("aggregates placed on a shard that does not hold all their records, published again")
                .register(registry);
        this.refreshes = Counter.builder(Meters.INGEST_SHARDMAP_REFRESHES.name())
                .description("shard maps read that differed from the last")
                .register(registry);
        // Registered at zero, so that a dashboard or alarm sees 0 rather than no data.
        this.throttles = Counter.builder(Meters.INGEST_THROTTLES.name())
                .description("records the stream refused for exceeding a shard's throughput")
                .register(registry);
    }

    void bufferedBytes(Supplier<Number> bytes) {
        Gauge.builder(Meters.INGEST_BUFFER_BYTES.name(), bytes)
                .description("bytes held for records not yet acknowledged")
                .baseUnit("bytes")
                .register(registry);
    }

    /** @param usersPerAggregate for each Kinesis record of the call, how many user records it holds */
    void putRecordsCall(int[] usersPerAggregate) {
        calls.increment();
        kinesisRecords.increment(usersPerAggregate.length);
        for (int users : usersPerAggregate) {
            userRecords.increment(users);
            perAggregate.record(users);
        }
    }

    void published(Duration sinceEnqueued) {
        latency.record(sinceEnqueued);
    }

    void retried(String reason, int records) {
        registry.counter(Meters.INGEST_RETRIES.name(), "reason", reason).increment(records);
        if ("ProvisionedThroughputExceededException".equals(reason)) {
            throttles.increment(records);
        }
    }

    void rejected(Reason reason) {
        registry.counter(
                        Meters.INGEST_PUBLISH_REJECTED.name(),
                        "reason",
                        reason.name().toLowerCase(java.util.Locale.ROOT))
                .increment();
    }

    void misplacedAggregate() {
        misplaced.increment();
    }

    void shardMapRefreshed() {
        refreshes.increment();
    }
}
