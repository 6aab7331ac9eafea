package dev.tideline.ingest.publish;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tideline.ingest.publish.PublishRejectedException.Reason;
import dev.tideline.localaws.junit.PublishedMeters;
import dev.tideline.model.metrics.Meters;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PublisherMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final PublisherMetrics metrics = new PublisherMetrics(registry);

    @Test
    void publishesEveryPublisherMeterTheDashboardReads() {
        metrics.bufferedBytes(() -> 0);
        metrics.putRecordsCall(new int[] {12, 30});
        metrics.published(Duration.ofMillis(40));
        metrics.retried("ProvisionedThroughputExceededException", 3);
        metrics.rejected(Reason.values()[0]);

        // tideline.ingest.events and the beacon's refusals are counted by the web layer; the API tests check them.
        PublishedMeters.assertRegistered(
                registry,
                Meters.of("ingest").stream()
                        .filter(m -> !m.equals(Meters.INGEST_EVENTS) && !m.equals(Meters.INGEST_BEACON_REFUSED))
                        .toList());
    }

    @Test
    void countsUserRecordsPerKinesisRecord() {
        metrics.putRecordsCall(new int[] {12, 30});

        assertThat(registry.get(Meters.INGEST_KINESIS_RECORDS.name()).counter().count())
                .isEqualTo(2);
        assertThat(registry.get(Meters.INGEST_USER_RECORDS.name()).counter().count())
                .isEqualTo(42);
        assertThat(registry.get(Meters.INGEST_THROTTLES.name()).counter().count())
                .isZero();
    }
}
