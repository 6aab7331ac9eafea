package dev.tideline.model.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class MetersTest {

    @Test
    void everyMeterHasItsOwnName() {
        List<String> names = Meters.ALL.stream().map(MeterName::name).toList();

        assertThat(names).doesNotHaveDuplicates();
    }

    @Test
    void eachServicePublishesItsOwnMeters() {
        assertThat(Meters.of("ingest")).contains(Meters.INGEST_EVENTS).doesNotContain(Meters.PROCESSOR_LAG);
        assertThat(Meters.of("processor")).contains(Meters.PROCESSOR_LAG, Meters.PROCESSOR_RECORDS);
        assertThat(Meters.of("archiver")).contains(Meters.ARCHIVER_FRESHNESS);
        assertThat(Meters.of("ingest").size()
                        + Meters.of("processor").size()
                        + Meters.of("archiver").size())
                .isEqualTo(Meters.ALL.size());
    }

    @Test
    void cloudWatchNamesCarryTheStatisticOfTheKind() {
        assertThat(Meters.PROCESSOR_RECORDS.cloudWatchNames()).containsExactly("tideline.processor.records.count");
        assertThat(Meters.ARCHIVER_FRESHNESS.cloudWatch("value")).isEqualTo("tideline.archiver.freshness.value");
        assertThat(Meters.PROCESSOR_BATCH.cloudWatchNames())
                .containsExactly(
                        "tideline.processor.batch.sum",
                        "tideline.processor.batch.count",
                        "tideline.processor.batch.avg",
                        "tideline.processor.batch.max");
    }

    @Test
    void aStatisticTheKindDoesNotPublishIsRefused() {
        assertThatThrownBy(() -> Meters.PROCESSOR_RECORDS.cloudWatch("max"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[count]");
    }

    @Test
    void aNameOutsideTheTidelineSchemeIsRefused() {
        assertThatThrownBy(() -> MeterName.counter("http.server.requests"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tideline.<service>.<what>");
    }
}
