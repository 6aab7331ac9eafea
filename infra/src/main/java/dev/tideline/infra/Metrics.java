package dev.tideline.infra;

import dev.tideline.model.metrics.MeterName;
import dev.tideline.model.metrics.Meters;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.MathExpression;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;

/** The CloudWatch metrics the alarms and the dashboard read, by the names their publishers give them. */
final class Metrics {

    static final Duration PERIOD = Duration.minutes(1);

    private Metrics() {}

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
    static MathExpression kclMillisBehindLatest(String application) {
        return MathExpression.Builder.create()
                .expression("MAX(SEARCH('{" + application + ",Operation,ShardId} MetricName=\"MillisBehindLatest\"',"
                        + " 'Maximum', 60))")
                .label(application + " MillisBehindLatest (max over shards)")
                .usingMetrics(Map.of())
                .period(PERIOD)
                .build();
    }

    static Metric firehose(String deliveryStream, String name, String statistic) {
        return Metric.Builder.create()
                .namespace("AWS/Firehose")
                .metricName(name)
                .dimensionsMap(Map.of("DeliveryStreamName", deliveryStream))
                .statistic(statistic)
                .period(PERIOD)
                .build();
    }

    static MetricOptions max() {
        return MetricOptions.builder().statistic("Maximum").period(PERIOD).build();
    }

    static MetricOptions sum() {
        return MetricOptions.builder().statistic("Sum").period(PERIOD).build();
    }
}
