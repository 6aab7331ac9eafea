package dev.tideline.console.collect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tideline.model.metrics.Meters;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrometheusTest {

    private static final String TEXT =
            """
            # HELP tideline_processor_lag_seconds the largest iterator age
            # TYPE tideline_processor_lag_seconds gauge
            tideline_processor_lag_seconds 1.25
            tideline_processor_millis_behind_latest{shard="shardId-000000000000"} 300.0
            tideline_processor_millis_behind_latest{shard="shardId-000000000001"} 0.0
            tideline_ingest_events_total{outcome="accepted"} 1200.0
            tideline_ingest_events_total{outcome="invalid"} 7.0
            http_server_requests_seconds_bucket{method="POST",uri="/v1/events",le="+Inf"} 42.0 1700000000000
            odd_label{path="a \\"quoted\\" \\\\ value",x="1"} 2
            tideline_archiver_freshness_seconds NaN
            not a sample line
            """;

    private final Prometheus meters = Prometheus.parse(TEXT);

    @Test
    void readsNamesLabelsAndValuesTheWayMicrometerWritesThem() {
        assertThat(meters.max(Prometheus.name(Meters.PROCESSOR_LAG, "_seconds")))
                .hasValue(1.25);
        assertThat(meters.byLabel(Prometheus.name(Meters.PROCESSOR_MILLIS_BEHIND_LATEST, ""), "shard"))
                .isEqualTo(Map.of("shardId-000000000000", 300.0, "shardId-000000000001", 0.0));
        assertThat(meters.sum("tideline_ingest_events_total", l -> "accepted".equals(l.get("outcome"))))
                .hasValue(1200);
        assertThat(meters.sum("tideline_ingest_events_total")).hasValue(1207);
        assertThat(meters.samples())
                .filteredOn(s -> s.name().equals("http_server_requests_seconds_bucket"))
                .singleElement()
                .satisfies(s -> {
                    assertThat(s.labels()).containsEntry("le", "+Inf").containsEntry("uri", "/v1/events");
                    assertThat(s.value()).isEqualTo(42);
                });
        assertThat(meters.samples())
                .filteredOn(s -> s.name().equals("odd_label"))
                .singleElement()
                .satisfies(s -> assertThat(s.labels()).isEqualTo(Map.of("path", "a \"quoted\" \\ value", "x", "1")));
    }

    @Test
    void aGaugeThatIsNotANumberIsNoValue() {
        // A consumer whose KCL scheduler is not running publishes NaN: not a freshness of 0.
        assertThat(meters.max(Prometheus.name(Meters.ARCHIVER_FRESHNESS, "_seconds")))
                .isEmpty();
        assertThat(meters.max("no_such_meter")).isEmpty();
    }
}
