package dev.tideline.ingest.publish;

import dev.tideline.ingest.publish.PublishRejectedException.Reason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.function.Supplier;

/** The publisher's meters: what operators watch to see batching, retries and back-pressure at work. */
public final class PublisherMetrics {

    private final MeterRegistry registry;
    private final Counter calls;
    private final Counter kinesisRecords;
    private final Counter userRecords;
    private final DistributionSummary perAggregate;
    private final Timer latency;
    private final Counter misplaced;
    private final Counter refreshes;

    public PublisherMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.calls = Counter.builder("tideline.ingest.putrecords.calls")
                .description("PutRecords calls made")
                .register(registry);
        this.kinesisRecords = Counter.builder("tideline.ingest.kinesis.records")
                .description("Kinesis records sent (KPL aggregates)")
                .register(registry);
        this.userRecords = Counter.builder("tideline.ingest.user.records")
                .description("user records sent inside aggregates, retries included")
                .register(registry);
        this.perAggregate = DistributionSummary.builder("tideline.ingest.aggregate.user.records")
                .description("user records per Kinesis record")
                .register(registry);
        this.latency = Timer.builder("tideline.ingest.publish.latency")
                .description("from publish to the stream's acknowledgement")
                .publishPercentileHistogram()
                .register(registry);
        this.misplaced = Counter.builder("tideline.ingest.misplaced.aggregates")
                .description("aggregates placed on a shard that does not hold all their records, published again")
                .register(registry);
        this.refreshes = Counter.builder("tideline.ingest.shardmap.refreshes")
                .description("shard maps read that differed from the last")
                .register(registry);
    }

    void bufferedBytes(Supplier<Number> bytes) {
        Gauge.builder("tideline.ingest.buffer.bytes", bytes)
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
        registry.counter("tideline.ingest.retries", "reason", reason).increment(records);
        if ("ProvisionedThroughputExceededException".equals(reason)) {
            registry.counter("tideline.ingest.throttles").increment(records);
        }
    }

    void rejected(Reason reason) {
        registry.counter(
                        "tideline.ingest.publish.rejected",
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
