package dev.tideline.archiver.it;

import dev.tideline.model.metrics.Meters;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.ApplicationContext;

/** The archiver's own counters, read from its meter registry. */
final class ArchiverCounters {

    private ArchiverCounters() {}

    static long archived(ApplicationContext app) {
        return records(app, "archived");
    }

    static long errors(ApplicationContext app) {
        return records(app, "error");
    }

    private static long records(ApplicationContext app, String outcome) {
        return (long) app.getBean(MeterRegistry.class)
                .get(Meters.ARCHIVER_RECORDS.name())
                .tag(Meters.OUTCOME, outcome)
                .counter()
                .count();
    }
}
