package dev.tideline.web;

import dev.tideline.model.metrics.MeterName;
import dev.tideline.model.metrics.Meters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Counters of the {@link Meters} catalogue, registered the one way every service registers them,
 * with their tags checked against the catalogue's.
 */
public final class MeterBuilders {

    private MeterBuilders() {}

    /** @param tags key-value pairs, each key one of the meter's tags */
    public static Counter counter(MeterRegistry registry, MeterName meter, String description, String... tags) {
        for (int i = 0; i < tags.length; i += 2) {
            if (!meter.tags().contains(tags[i])) {
                throw new IllegalArgumentException(meter.name() + " has no tag " + tags[i]);
            }
        }
        return Counter.builder(meter.name()).description(description).tags(tags).register(registry);
    }

    /** One counter per outcome of a meter tagged {@value Meters#OUTCOME}, by outcome. */
    public static Map<String, Counter> byOutcome(
            MeterRegistry registry, MeterName meter, String description, List<String> outcomes) {
        Map<String, Counter> counters = new LinkedHashMap<>();
        for (String outcome : outcomes) {
            counters.put(outcome, counter(registry, meter, description, Meters.OUTCOME, outcome));
        }
        return Map.copyOf(counters);
    }
}
