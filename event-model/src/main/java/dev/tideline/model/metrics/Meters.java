package dev.tideline.model.metrics;

import static dev.tideline.model.metrics.MeterName.counter;
import static dev.tideline.model.metrics.MeterName.gauge;
import static dev.tideline.model.metrics.MeterName.summary;
import static dev.tideline.model.metrics.MeterName.timer;

import java.util.List;

/**
 * Every meter of Tideline's own that the dashboard and alarms may read. Each service registers its
 * meters by these names, and a test in each service proves that it does.
 */
public final class Meters {

    /** The CloudWatch namespace the services publish under on AWS. */
    public static final String NAMESPACE = "Tideline";

    /** Tag {@code outcome} of the events and records counters. */
    public static final String OUTCOME = "outcome";

    /** Values of {@link #OUTCOME} on the consumers' records counters, which alarms and the dashboard read. */
    public static final class Outcome {

        /** Processor: the event's effects were written. */
        public static final String APPLIED = "applied";

        /** Archiver: the event is in an object. */
        public static final String ARCHIVED = "archived";

        /** A client's retry of an {@code event_id} already counted or archived. */
        public static final String DUPLICATE = "duplicate";

        /** A record read again after a restart or a lease move, whose effects were already stored. */
        public static final String REPLAYED = "replayed";

        /** Processor: a poison record, kept as a dead letter. */
        public static final String DEAD_LETTER = "dead_letter";

        /** Archiver: a poison record, kept under {@code errors/}. */
        public static final String ERROR = "error";

        /** The outcomes of {@code tideline.processor.records}. */
        public static final List<String> PROCESSOR = List.of(APPLIED, DUPLICATE, REPLAYED, DEAD_LETTER);

        /** The outcomes of {@code tideline.archiver.records}. */
        public static final List<String> ARCHIVER = List.of(ARCHIVED, DUPLICATE, REPLAYED, ERROR);

        private Outcome() {}
    }

    public static final MeterName INGEST_EVENTS = counter("tideline.ingest.events", OUTCOME);
    public static final MeterName INGEST_PUTRECORDS_CALLS = counter("tideline.ingest.putrecords.calls");
    public static final MeterName INGEST_KINESIS_RECORDS = counter("tideline.ingest.kinesis.records");
    public static final MeterName INGEST_USER_RECORDS = counter("tideline.ingest.user.records");
    public static final MeterName INGEST_AGGREGATE_USER_RECORDS = summary("tideline.ingest.aggregate.user.records");
    public static final MeterName INGEST_PUBLISH_LATENCY = timer("tideline.ingest.publish.latency");
    public static final MeterName INGEST_MISPLACED_AGGREGATES = counter("tideline.ingest.misplaced.aggregates");
    public static final MeterName INGEST_SHARDMAP_REFRESHES = counter("tideline.ingest.shardmap.refreshes");
    public static final MeterName INGEST_BUFFER_BYTES = gauge("tideline.ingest.buffer.bytes");
    public static final MeterName INGEST_RETRIES = counter("tideline.ingest.retries", "reason");
    public static final MeterName INGEST_THROTTLES = counter("tideline.ingest.throttles");
    public static final MeterName INGEST_PUBLISH_REJECTED = counter("tideline.ingest.publish.rejected", "reason");
    /** Beacons refused before any event of them was read: {@code key}, {@code origin}, {@code rate}. */
    public static final MeterName INGEST_BEACON_REFUSED = counter("tideline.ingest.beacon.refused", "reason");

    public static final MeterName PROCESSOR_RECORDS = counter("tideline.processor.records", OUTCOME);
    public static final MeterName PROCESSOR_DEAD_LETTERS = counter("tideline.processor.dead.letters", "reason");
    public static final MeterName PROCESSOR_FENCED_WRITES = counter("tideline.processor.fenced.writes");
    public static final MeterName PROCESSOR_WRITE_RETRIES = counter("tideline.processor.write.retries");
    public static final MeterName PROCESSOR_BATCH = timer("tideline.processor.batch");
    public static final MeterName PROCESSOR_BATCH_WRITES = summary("tideline.processor.batch.writes");
    public static final MeterName PROCESSOR_MILLIS_BEHIND_LATEST =
            gauge("tideline.processor.millis.behind.latest", "shard");
    public static final MeterName PROCESSOR_ITERATOR_AGE = gauge("tideline.processor.iterator.age", "shard");
    /** The largest iterator age over the shards one worker reads, untagged so that alarms can use it. */
    public static final MeterName PROCESSOR_LAG = gauge("tideline.processor.lag");

    public static final MeterName ARCHIVER_RECORDS = counter("tideline.archiver.records", OUTCOME);
    public static final MeterName ARCHIVER_BYTES = counter("tideline.archiver.bytes");
    public static final MeterName ARCHIVER_OBJECTS = counter("tideline.archiver.objects");
    public static final MeterName ARCHIVER_OBJECT_BYTES = counter("tideline.archiver.object.bytes");
    public static final MeterName ARCHIVER_ERRORS = counter("tideline.archiver.errors", "reason");
    public static final MeterName ARCHIVER_S3_RETRIES = counter("tideline.archiver.s3.retries");
    public static final MeterName ARCHIVER_BUFFER_BYTES = gauge("tideline.archiver.buffer.bytes");
    /** Firehose's {@code DeliveryToS3.DataFreshness}: what operators alarm on. */
    public static final MeterName ARCHIVER_FRESHNESS = gauge("tideline.archiver.freshness");

    public static final MeterName ARCHIVER_MILLIS_BEHIND_LATEST =
            gauge("tideline.archiver.millis.behind.latest", "shard");
    public static final MeterName ARCHIVER_ITERATOR_AGE = gauge("tideline.archiver.iterator.age", "shard");

    public static final List<MeterName> ALL = List.of(
            INGEST_EVENTS,
            INGEST_PUTRECORDS_CALLS,
            INGEST_KINESIS_RECORDS,
            INGEST_USER_RECORDS,
            INGEST_AGGREGATE_USER_RECORDS,
            INGEST_PUBLISH_LATENCY,
            INGEST_MISPLACED_AGGREGATES,
            INGEST_SHARDMAP_REFRESHES,
            INGEST_BUFFER_BYTES,
            INGEST_RETRIES,
            INGEST_THROTTLES,
            INGEST_PUBLISH_REJECTED,
            INGEST_BEACON_REFUSED,
            PROCESSOR_RECORDS,
            PROCESSOR_DEAD_LETTERS,
            PROCESSOR_FENCED_WRITES,
            PROCESSOR_WRITE_RETRIES,
            PROCESSOR_BATCH,
            PROCESSOR_BATCH_WRITES,
            PROCESSOR_MILLIS_BEHIND_LATEST,
            PROCESSOR_ITERATOR_AGE,
            PROCESSOR_LAG,
            ARCHIVER_RECORDS,
            ARCHIVER_BYTES,
            ARCHIVER_OBJECTS,
            ARCHIVER_OBJECT_BYTES,
            ARCHIVER_ERRORS,
            ARCHIVER_S3_RETRIES,
            ARCHIVER_BUFFER_BYTES,
            ARCHIVER_FRESHNESS,
            ARCHIVER_MILLIS_BEHIND_LATEST,
            ARCHIVER_ITERATOR_AGE);

    private Meters() {}

    /** The meters one service publishes. */
    public static List<MeterName> of(String service) {
        return ALL.stream().filter(m -> m.service().equals(service)).toList();
    }
}
