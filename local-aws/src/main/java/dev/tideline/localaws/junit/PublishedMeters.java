package dev.tideline.localaws.junit;

import dev.tideline.model.metrics.MeterName;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Checks a service's registry against the meter catalogue that the CDK dashboard and alarms read:
 * each named meter is there, of its kind, with its tags. A service test calls it after exercising
 * its metrics, so that a renamed or retyped meter fails the build instead of a silent dashboard.
 */
public final class PublishedMeters {

    private static final Map<MeterName.Kind, Meter.Type> TYPES = Map.of(
            MeterName.Kind.COUNTER, Meter.Type.COUNTER,
            MeterName.Kind.GAUGE, Meter.Type.GAUGE,
            MeterName.Kind.TIMER, Meter.Type.TIMER,
            MeterName.Kind.SUMMARY, Meter.Type.DISTRIBUTION_SUMMARY);

    private PublishedMeters() {}

    /** @throws AssertionError naming every catalogue meter that is missing or differs */
    public static void assertRegistered(MeterRegistry registry, Collection<MeterName> expected) {
        List<String> problems = new ArrayList<>();
        for (MeterName m : expected) {
            Collection<Meter> found = registry.find(m.name()).meters();
            if (found.isEmpty()) {
                problems.add(m.name() + " is not registered");
                continue;
            }
            for (Meter meter : found) {
                if (meter.getId().getType() != TYPES.get(m.kind())) {
                    problems.add(m.name() + " is a " + meter.getId().getType() + ", the catalogue says " + m.kind());
                }
                List<String> keys =
                        meter.getId().getTags().stream().map(t -> t.getKey()).toList();
                if (!keys.equals(m.tags())) {
                    problems.add(m.name() + " has tags " + keys + ", the catalogue says " + m.tags());
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new AssertionError(
                    "meters differ from dev.tideline.model.metrics.Meters:\n  " + String.join("\n  ", problems));
        }
    }
}
