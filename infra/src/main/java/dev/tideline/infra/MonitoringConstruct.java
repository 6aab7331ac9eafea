package dev.tideline.infra;

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
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
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

    static final Duration PERIOD = Metrics.PERIOD;

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
                .widgets(new DashboardWidgets(props).rows())
                .build();
    }

    private void createAlarms() {
        IStream stream = props.stream();
        alarm(
                "IteratorAge",
                "A consumer of " + stream.getStreamName() + " has fallen behind the tip: see the README's runbook",
                stream.metricGetRecordsIteratorAgeMilliseconds(Metrics.max()),
                props.iteratorAgeMillis(),
                SUSTAINED_MINUTES,
                TreatMissingData.NOT_BREACHING);
        alarm(
                "ProcessorLag",
                "processor-service is behind the tip, or publishes no lag at all (no task running, or its leases"
                        + " are those of a stream deleted and created again: see the README's runbook)",
                Metrics.tideline(Meters.PROCESSOR_LAG, "value", "Maximum", Map.of()),
                props.iteratorAgeMillis(),
                SUSTAINED_MINUTES,
                TreatMissingData.BREACHING);
        alarm(
                "WriteThroughputExceeded",
                "PutRecords is throttled: add shards, or switch the stream to on-demand",
                stream.metricWriteProvisionedThroughputExceeded(Metrics.sum()),
                0,
                SUSTAINED_MINUTES,
                TreatMissingData.NOT_BREACHING);
        alarm(
                "ReadThroughputExceeded",
                "GetRecords is throttled: too many consumers polling the stream, consider enhanced fan-out",
                stream.metricReadProvisionedThroughputExceeded(Metrics.sum()),
                0,
                SUSTAINED_MINUTES,
                TreatMissingData.NOT_BREACHING);
        alarm(
                "DeadLetters",
                "processor-service kept a poison record in the dead-letter place: see the README's runbook",
                Metrics.tideline(
                        Meters.PROCESSOR_RECORDS, "count", "Sum", Map.of(Meters.OUTCOME, Meters.Outcome.DEAD_LETTER)),
                0,
                1,
                TreatMissingData.NOT_BREACHING);
        if (props.archiverApp() != null) {
            alarm(
                    "ArchiveErrors",
                    "archiver-service wrote records it could not decode under errors/",
                    Metrics.tideline(
                            Meters.ARCHIVER_RECORDS, "count", "Sum", Map.of(Meters.OUTCOME, Meters.Outcome.ERROR)),
                    0,
                    1,
                    TreatMissingData.NOT_BREACHING);
            alarm(
                    "ArchiveFreshness",
                    "The oldest record not yet archived is too old, or the archiver publishes nothing (no task"
                            + " running, or its leases are those of a stream deleted and created again)",
                    Metrics.tideline(Meters.ARCHIVER_FRESHNESS, "value", "Maximum", Map.of()),
                    props.freshnessSeconds() * 1000,
                    SUSTAINED_MINUTES,
                    TreatMissingData.BREACHING);
        } else {
            alarm(
                    "ArchiveFreshness",
                    "Firehose's oldest undelivered record is too old",
                    Metrics.firehose(props.firehose(), "DeliveryToS3.DataFreshness", "Maximum"),
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
