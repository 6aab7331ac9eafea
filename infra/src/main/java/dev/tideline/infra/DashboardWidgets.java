package dev.tideline.infra;

import dev.tideline.model.metrics.Meters;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.services.cloudwatch.GraphWidget;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.IWidget;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TextWidget;
import software.amazon.awscdk.services.elasticloadbalancingv2.HttpCodeTarget;
import software.amazon.awscdk.services.kinesis.IStream;

/** The rows of the operators' dashboard: the stream, the hot path, the cold path, ingest. */
final class DashboardWidgets {

    private final MonitoringConstruct.Props props;

    DashboardWidgets(MonitoringConstruct.Props props) {
        this.props = props;
    }

    List<List<IWidget>> rows() {
        IStream stream = props.stream();
        List<List<IWidget>> rows = new ArrayList<>();
        rows.add(List.of(TextWidget.Builder.create()
                .markdown("# Tideline\nIteratorAge is how far the slowest consumer of **" + stream.getStreamName()
                        + "** is behind. The runbook for its alarm is in the README.")
                .width(24)
                .height(2)
                .build()));
        rows.add(List.of(
                graph(
                        "Stream IteratorAge (ms, max)",
                        List.of(stream.metricGetRecordsIteratorAgeMilliseconds(Metrics.max()))),
                graph(
                        "Incoming records and bytes",
                        List.of(stream.metricIncomingRecords(Metrics.sum())),
                        List.of(stream.metricIncomingBytes(Metrics.sum()))),
                graph(
                        "Throughput exceeded",
                        List.of(
                                stream.metricWriteProvisionedThroughputExceeded(Metrics.sum()),
                                stream.metricReadProvisionedThroughputExceeded(Metrics.sum())))));
        rows.add(List.of(
                graph(
                        "Processor: lag and MillisBehindLatest (ms)",
                        List.of(
                                Metrics.tideline(Meters.PROCESSOR_LAG, "value", "Maximum", Map.of()),
                                Metrics.kclMillisBehindLatest(props.processorApp()))),
                graph(
                        "Processor: records",
                        List.of(
                                Metrics.tideline(
                                        Meters.PROCESSOR_RECORDS, "count", "Sum", Map.of(Meters.OUTCOME, "applied")),
                                Metrics.tideline(
                                        Meters.PROCESSOR_RECORDS,
                                        "count",
                                        "Sum",
                                        Map.of(Meters.OUTCOME, Meters.Outcome.DUPLICATE)),
                                Metrics.tideline(
                                        Meters.PROCESSOR_RECORDS,
                                        "count",
                                        "Sum",
                                        Map.of(Meters.OUTCOME, Meters.Outcome.REPLAYED)),
                                Metrics.tideline(Meters.PROCESSOR_FENCED_WRITES, "count", "Sum", Map.of()))),
                graph(
                        "Processor: dead letters",
                        List.of(Metrics.tideline(
                                Meters.PROCESSOR_RECORDS,
                                "count",
                                "Sum",
                                Map.of(Meters.OUTCOME, Meters.Outcome.DEAD_LETTER))))));
        rows.add(coldPathRow());
        rows.add(List.of(
                graph(
                        "Ingest: 5xx",
                        List.of(
                                props.ingestLoadBalancer()
                                        .getMetrics()
                                        .httpCodeTarget(HttpCodeTarget.TARGET_5XX_COUNT, Metrics.sum()),
                                Metrics.tideline(
                                        Meters.INGEST_EVENTS, "count", "Sum", Map.of(Meters.OUTCOME, "unavailable")))),
                // The load balancer reports seconds; the service's own timer is in milliseconds.
                graph(
                        "Ingest: response time at the load balancer, p99 (s)",
                        List.of(props.ingestLoadBalancer()
                                .getMetrics()
                                .targetResponseTime(MetricOptions.builder()
                                        .statistic("p99")
                                        .period(Metrics.PERIOD)
                                        .build()))),
                graph(
                        "Ingest: publish latency, max (ms)",
                        List.of(Metrics.tideline(Meters.INGEST_PUBLISH_LATENCY, "max", "Maximum", Map.of()))),
                graph(
                        "Ingest: events and PutRecords calls",
                        List.of(
                                Metrics.tideline(
                                        Meters.INGEST_EVENTS, "count", "Sum", Map.of(Meters.OUTCOME, "accepted")),
                                Metrics.tideline(
                                        Meters.INGEST_EVENTS, "count", "Sum", Map.of(Meters.OUTCOME, "invalid")),
                                Metrics.tideline(Meters.INGEST_PUTRECORDS_CALLS, "count", "Sum", Map.of()),
                                Metrics.tideline(Meters.INGEST_THROTTLES, "count", "Sum", Map.of())))));
        return rows;
    }

    private List<IWidget> coldPathRow() {
        if (props.archiverApp() != null) {
            return List.of(
                    graph(
                            "Archiver: freshness and MillisBehindLatest (ms)",
                            List.of(
                                    Metrics.tideline(Meters.ARCHIVER_FRESHNESS, "value", "Maximum", Map.of()),
                                    Metrics.kclMillisBehindLatest(props.archiverApp()))),
                    graph(
                            "Archiver: records and objects",
                            List.of(
                                    Metrics.tideline(
                                            Meters.ARCHIVER_RECORDS,
                                            "count",
                                            "Sum",
                                            Map.of(Meters.OUTCOME, Meters.Outcome.ARCHIVED)),
                                    Metrics.tideline(
                                            Meters.ARCHIVER_RECORDS,
                                            "count",
                                            "Sum",
                                            Map.of(Meters.OUTCOME, Meters.Outcome.ERROR)),
                                    Metrics.tideline(
                                            Meters.ARCHIVER_RECORDS,
                                            "count",
                                            "Sum",
                                            Map.of(Meters.OUTCOME, Meters.Outcome.DUPLICATE)),
                                    Metrics.tideline(Meters.ARCHIVER_OBJECTS, "count", "Sum", Map.of()))),
                    graph(
                            "Archiver: buffered bytes",
                            List.of(Metrics.tideline(Meters.ARCHIVER_BUFFER_BYTES, "value", "Maximum", Map.of()))));
        }
        return List.of(
                graph(
                        "Firehose: DataFreshness (s)",
                        List.of(Metrics.firehose(props.firehose(), "DeliveryToS3.DataFreshness", "Maximum"))),
                graph(
                        "Firehose: records delivered",
                        List.of(
                                Metrics.firehose(props.firehose(), "DeliveryToS3.Records", "Sum"),
                                Metrics.firehose(props.firehose(), "DeliveryToS3.Success", "Average"))),
                graph(
                        "Firehose: format conversion failures",
                        List.of(Metrics.firehose(props.firehose(), "FailedConversion.Records", "Sum"))));
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
}
