package dev.tideline.archiver.it;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.ApplicationContext;

/** The archiver's own counters, read from its meter registry. */
final class ArchiverCounters {

    private ArchiverCounters() {}

    static long archived(ApplicationContext app) {
        return (long) app.getBean(MeterRegistry.class)
                .get("tideline.archiver.records")
                .tag("outcome", "archived")
                .counter()
                .count();
    }

    static long errors(ApplicationContext app) {
        return (long) app.getBean(MeterRegistry.class)
                .get("tideline.archiver.records")
                .tag("outcome", "error")
                .counter()
                .count();
    }
}
