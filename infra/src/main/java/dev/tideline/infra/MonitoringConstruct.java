package dev.tideline.infra;

import dev.tideline.model.metrics.MeterName;
import dev.tideline.model.metrics.Meters;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.Dashboard;
import software.amazon.awscdk.services.cloudwatch.GraphWidget;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.IWidget;
import software.amazon.awscdk.services.cloudwatch.MathExpression;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TextWidget;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.elasticloadbalancingv2.HttpCodeTarget;
import software.amazon.awscdk.services.elasticloadbalancingv2.IApplicationLoadBalancer;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kinesis.IStream;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sns.subscriptions.EmailSubscription;
import software.constructs.Construct;

/**
 * What operators watch: one dashboard with, for each consumer, the stream's IteratorAge, KCL's
 * {@code MillisBehindLatest} and the consumer's own lag or freshness, next to the stream's traffic
 * and throttling and the ingest service's errors and latency; and the alarms that page, all to one
 * SNS topic.
 */
public final class MonitoringConstruct extends Construct {

    static final Duration PERIOD = Duration.minutes(1);

    /** Minutes a condition must hold before IteratorAge, lag and freshness alarms fire. */
    static final int SUSTAINED_MINUTES = 5;

    /**
     * @param archiverApp KCL application of the archiver service; null when Firehose archives
     * @param firehose name of the delivery stream; null when the archiver service archives
     * @param iteratorAgeMillis IteratorAge (and processor lag) above which the alarm fires
     * @param freshnessSeconds archive freshness above which the alarm fires
     * @param alarmEmail optional address subscribed to the topic
     */
    public record Props(
            IStream stream,
            String processorApp,
            String archiverApp,
            String firehose,
            IApplicationLoadBalancer ingestLoadBalancer,
            long iteratorAgeMillis,
            long freshnessSeconds,
            String alarmEmail) {

        public Props {
            Objects.requireNonNull(stream, "stream");
            Objects.requireNonNull(processorApp, "processorApp");
            Objects.requireNonNull(ingestLoadBalancer, "ingestLoadBalancer");
            if ((archiverApp == null) == (firehose == null)) {
                throw new IllegalArgumentException("exactly one cold path: the archiver service or Firehose");
            }
            if (iteratorAgeMillis < 1_000) {
                throw new IllegalArgumentException("an IteratorAge threshold under 1 s pages on every batch");
            }
        }
    }

    private final Topic topic;
    private final Dashboard dashboard;
    private final List<Alarm> alarms = new ArrayList<>();
    private final Props props;

    public MonitoringConstruct(Construct scope, String id, Props props) {
        super(scope, id);
        this.props = props;
        Key key = Key.Builder.create(this, "TopicKey")
                .description("Encrypts the Tideline alarm topic")
                .enableKeyRotation(true)
                .build();
        key.grant(new ServicePrincipal("cloudwatch.amazonaws.com"), "kms:Decrypt", "kms:GenerateDataKey*");
        this.topic = Topic.Builder.create(this, "Alarms")
                .displayName("Tideline alarms")
                .masterKey(key)
                .enforceSsl(true)
                .build();
        // A topic policy replaces SNS's default one, so CloudWatch must be allowed to publish by name.
        topic.addToResourcePolicy(PolicyStatement.Builder.create()
                .sid("CloudWatchAlarmsPublish")
                .principals(List.of(new ServicePrincipal("cloudwatch.amazonaws.com")))
                .actions(List.of("sns:Publish"))
                .resources(List.of(topic.getTopicArn()))
                .conditions(Map.of(
                        "StringEquals",
                        Map.of("aws:SourceAccount", Stack.of(this).getAccount())))
                .build());
        if (props.alarmEmail() != null) {
            topic.addSubscription(new EmailSubscription(props.alarmEmail()));
        }
        createAlarms();
        this.dashboard = Dashboard.Builder.create(this, "Dashboard")
                .dashboardName("Tideline")
                .widgets(widgets())
                .build();
    }

    private void createAlarms() {
        IStream stream = props.stream();
        alarm(
                "IteratorAge",
                "A consumer of " + stream.getStreamName() + " has fallen behind the tip: see the README's runbook",
                stream.metricGetRecordsIteratorAgeMilliseconds(max()),
                props.iteratorAgeMillis(),
                SUSTAINED_MINUTES,
                TreatMissingData.NOT_BREACHING);
        alarm(
                "ProcessorLag",
                "processor-service is behind the tip, or publishes no lag at all (no task running)",
                tideline(Meters.PROCESSOR_LAG, "value", "Maximum", Map.of()),
                props.iteratorAgeMillis(),
                SUSTAINED_MINUTES,
                TreatMissingData.BREACHING);
        alarm(
                "WriteThroughputExceeded",
                "PutRecords is throttled: add shards, or switch the stream to on-demand",
                stream.metricWriteProvisionedThroughputExceeded(sum()),
                0,
                SUSTAINED_MINUTES,
                TreatMissingData.NOT_BREACHING);
        alarm(
                "ReadThroughputExceeded",
                "GetRecords is throttled: too many consumers polling the stream, consider enhanced fan-out",
                stream.metricReadProvisionedThroughputExceeded(sum()),
                0,
                SUSTAINED_MINUTES,
                TreatMissingData.NOT_BREACHING);
        alarm(
                "DeadLetters",
                "processor-service kept a poison record in the dead-letter place: see the README's runbook",
                tideline(Meters.PROCESSOR_RECORDS, "count", "Sum", Map.of(Meters.OUTCOME, "dead_letter")),
                0,
                1,
                TreatMissingData.NOT_BREACHING);
        if (props.archiverApp() != null) {
            alarm(
                    "ArchiveErrors",
                    "archiver-service wrote records it could not decode under errors/",
                    tideline(Meters.ARCHIVER_RECORDS, "count", "Sum", Map.of(Meters.OUTCOME, "error")),
                    0,
                    1,
                    TreatMissingData.NOT_BREACHING);
            alarm(
                    "ArchiveFreshness",
                    "The oldest record not yet archived is too old, or the archiver publishes nothing",
                    tideline(Meters.ARCHIVER_FRESHNESS, "value", "Maximum", Map.of()),
                    props.freshnessSeconds() * 1000,
                    SUSTAINED_MINUTES,
                    TreatMissingData.BREACHING);
        } else {
            alarm(
                    "ArchiveFreshness",
                    "Firehose's oldest undelivered record is too old",
                    firehose("DeliveryToS3.DataFreshness", "Maximum"),
                    props.freshnessSeconds(),
                    SUSTAINED_MINUTES,
                    // Firehose publishes nothing while the stream is idle; that is no outage.
                    TreatMissingData.NOT_BREACHING);
        }
    }

    private void alarm(
            String id, String description, IMetric metric, double threshold, int minutes, TreatMissingData missing) {
        Alarm alarm = Alarm.Builder.create(this, id)
                .alarmName("tideline-" + id)
                .alarmDescription(description)
                .metric(metric)
                .threshold(threshold)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD)
                .evaluationPeriods(minutes)
                .datapointsToAlarm(minutes)
                .treatMissingData(missing)
                .build();
        alarm.addAlarmAction(new SnsAction(topic));
        alarm.addOkAction(new SnsAction(topic));
        alarms.add(alarm);
    }

    private List<List<IWidget>> widgets() {
        IStream stream = props.stream();
        List<List<IWidget>> rows = new ArrayList<>();
        rows.add(List.of(TextWidget.Builder.create()
                .markdown("# Tideline\nIteratorAge is how far the slowest consumer of **" + stream.getStreamName()
                        + "** is behind. The runbook for its alarm is in the README.")
                .width(24)
                .height(2)
                .build()));
        rows.add(List.of(
                graph("Stream IteratorAge (ms, max)", List.of(stream.metricGetRecordsIteratorAgeMilliseconds(max()))),
                graph(
                        "Incoming records and bytes",
                        List.of(stream.metricIncomingRecords(sum())),
                        List.of(stream.metricIncomingBytes(sum()))),
                graph(
                        "Throughput exceeded",
                        List.of(
                                stream.metricWriteProvisionedThroughputExceeded(sum()),
                                stream.metricReadProvisionedThroughputExceeded(sum())))));
        rows.add(List.of(
                graph(
                        "Processor: lag and MillisBehindLatest (ms)",
                        List.of(
                                tideline(Meters.PROCESSOR_LAG, "value", "Maximum", Map.of()),
                                kclMillisBehindLatest(props.processorApp()))),
                graph(
                        "Processor: records",
                        List.of(
                                tideline(Meters.PROCESSOR_RECORDS, "count", "Sum", Map.of(Meters.OUTCOME, "applied")),
                                tideline(Meters.PROCESSOR_RECORDS, "count", "Sum", Map.of(Meters.OUTCOME, "duplicate")),
                                tideline(Meters.PROCESSOR_RECORDS, "count", "Sum", Map.of(Meters.OUTCOME, "replayed")),
                                tideline(Meters.PROCESSOR_FENCED_WRITES, "count", "Sum", Map.of()))),
                graph(
                        "Processor: dead letters",
                        List.of(tideline(
                                Meters.PROCESSOR_RECORDS, "count", "Sum", Map.of(Meters.OUTCOME, "dead_letter"))))));
        rows.add(coldPathRow());
        rows.add(List.of(
                graph(
                        "Ingest: 5xx",
                        List.of(
                                props.ingestLoadBalancer()
                                        .getMetrics()
                                        .httpCodeTarget(HttpCodeTarget.TARGET_5XX_COUNT, sum()),
                                tideline(Meters.INGEST_EVENTS, "count", "Sum", Map.of(Meters.OUTCOME, "unavailable")))),
                // The load balancer reports seconds; the service's own timer is in milliseconds.
                graph(
                        "Ingest: response time at the load balancer, p99 (s)",
                        List.of(props.ingestLoadBalancer()
                                .getMetrics()
                                .targetResponseTime(MetricOptions.builder()
                                        .statistic("p99")
                                        .period(PERIOD)
                                        .build()))),
                graph(
                        "Ingest: publish latency, max (ms)",
                        List.of(tideline(Meters.INGEST_PUBLISH_LATENCY, "max", "Maximum", Map.of()))),
                graph(
                        "Ingest: events and PutRecords calls",
                        List.of(
                                tideline(Meters.INGEST_EVENTS, "count", "Sum", Map.of(Meters.OUTCOME, "accepted")),
                                tideline(Meters.INGEST_EVENTS, "count", "Sum", Map.of(Meters.OUTCOME, "invalid")),
                                tideline(Meters.INGEST_PUTRECORDS_CALLS, "count", "Sum", Map.of()),
                                tideline(Meters.INGEST_THROTTLES, "count", "Sum", Map.of())))));
        return rows;
    }

    private List<IWidget> coldPathRow() {
        if (props.archiverApp() != null) {
            return List.of(
                    graph(
                            "Archiver: freshness and MillisBehindLatest (ms)",
                            List.of(
                                    tideline(Meters.ARCHIVER_FRESHNESS, "value", "Maximum", Map.of()),
                                    kclMillisBehindLatest(props.archiverApp()))),
                    graph(
                            "Archiver: records and objects",
                            List.of(
                                    tideline(
                                            Meters.ARCHIVER_RECORDS,
                                            "count",
                                            "Sum",
                                            Map.of(Meters.OUTCOME, "archived")),
                                    tideline(Meters.ARCHIVER_RECORDS, "count", "Sum", Map.of(Meters.OUTCOME, "error")),
                                    tideline(
                                            Meters.ARCHIVER_RECORDS,
                                            "count",
                                            "Sum",
                                            Map.of(Meters.OUTCOME, "duplicate")),
                                    tideline(Meters.ARCHIVER_OBJECTS, "count", "Sum", Map.of()))),
                    graph(
                            "Archiver: buffered bytes",
                            List.of(tideline(Meters.ARCHIVER_BUFFER_BYTES, "value", "Maximum", Map.of()))));
        }
        return List.of(
                graph("Firehose: DataFreshness (s)", List.of(firehose("DeliveryToS3.DataFreshness", "Maximum"))),
                graph(
                        "Firehose: records delivered",
                        List.of(firehose("DeliveryToS3.Records", "Sum"), firehose("DeliveryToS3.Success", "Average"))),
                graph("Firehose: format conversion failures", List.of(firehose("FailedConversion.Records", "Sum"))));
    }

    private static GraphWidget graph(String title, List<IMetric> left) {
        return graph(title, left, List.of());
    }

    private static GraphWidget graph(String title, List<IMetric> left, List<IMetric> right) {
        return GraphWidget.Builder.create()
                .title(title)
                .left(left)
                .right(right)
                .width(8)
                .height(6)
                .build();
    }

    /** One of Tideline's own meters, by the name Micrometer's CloudWatch registry gives it. */
    static Metric tideline(MeterName meter, String suffix, String statistic, Map<String, String> dimensions) {
        if (!meter.tags().containsAll(dimensions.keySet())) {
            throw new IllegalArgumentException(meter.name() + " has no tag among " + dimensions.keySet());
        }
        return Metric.Builder.create()
                .namespace(Meters.NAMESPACE)
                .metricName(meter.cloudWatch(suffix))
                .dimensionsMap(dimensions)
                .statistic(statistic)
                .period(PERIOD)
                .build();
    }

    /** KCL publishes {@code MillisBehindLatest} per shard under the application's name. */
    private static MathExpression kclMillisBehindLatest(String application) {
        return MathExpression.Builder.create()
                .expression("MAX(SEARCH('{" + application + ",Operation,ShardId} MetricName=\"MillisBehindLatest\"',"
                        + " 'Maximum', 60))")
                .label(application + " MillisBehindLatest (max over shards)")
                .usingMetrics(Map.of())
                .period(PERIOD)
                .build();
    }

    private Metric firehose(String name, String statistic) {
        return Metric.Builder.create()
                .namespace("AWS/Firehose")
                .metricName(name)
                .dimensionsMap(Map.of("DeliveryStreamName", props.firehose()))
                .statistic(statistic)
                .period(PERIOD)
                .build();
    }

    private static MetricOptions max() {
        return MetricOptions.builder().statistic("Maximum").period(PERIOD).build();
    }

    private static MetricOptions sum() {
        return MetricOptions.builder().statistic("Sum").period(PERIOD).build();
    }

    public Topic topic() {
        return topic;
    }

    public Dashboard dashboard() {
        return dashboard;
    }

    public List<Alarm> alarms() {
        return List.copyOf(alarms);
    }
}
