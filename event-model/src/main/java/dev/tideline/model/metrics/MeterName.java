package dev.tideline.model.metrics;

import java.util.List;
import java.util.Objects;

/**
 * One meter a service publishes: its Micrometer name, its kind and the tags it carries.
 *
 * <p>On AWS the services export through Micrometer's CloudWatch registry, which publishes each
 * meter under its own name plus one suffix per statistic: {@code .count} for a counter,
 * {@code .value} for a gauge, {@code .sum}, {@code .count}, {@code .avg} and {@code .max} for a timer
 * or a distribution summary; each tag becomes a dimension. {@link #cloudWatch} gives those names.
 *
 * @param name the Micrometer name, dot-separated
 * @param tags tag keys, which CloudWatch shows as dimensions
 */
public record MeterName(String name, Kind kind, List<String> tags) {

    /** The kinds of Micrometer meter, by the CloudWatch statistics they publish. */
    public enum Kind {
        COUNTER(List.of("count")),
        GAUGE(List.of("value")),
        TIMER(List.of("sum", "count", "avg", "max")),
        SUMMARY(List.of("sum", "count", "avg", "max"));

        private final List<String> suffixes;

        Kind(List<String> suffixes) {
            this.suffixes = suffixes;
        }

        public List<String> suffixes() {
            return suffixes;
        }
    }

    public MeterName {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        tags = List.copyOf(tags);
        if (!name.matches("tideline\\.[a-z0-9]+(\\.[a-z0-9]+)+")) {
            throw new IllegalArgumentException("a meter name is tideline.<service>.<what>, not '" + name + "'");
        }
    }

    static MeterName counter(String name, String... tags) {
        return new MeterName(name, Kind.COUNTER, List.of(tags));
    }

    static MeterName gauge(String name, String... tags) {
        return new MeterName(name, Kind.GAUGE, List.of(tags));
    }

    static MeterName timer(String name, String... tags) {
        return new MeterName(name, Kind.TIMER, List.of(tags));
    }

    static MeterName summary(String name, String... tags) {
        return new MeterName(name, Kind.SUMMARY, List.of(tags));
    }

    /** The service that publishes it: the second part of the name. */
    public String service() {
        return name.split("\\.")[1];
    }

    /**
     * The CloudWatch metric name of one statistic.
     *
     * @param suffix one of {@link Kind#suffixes()} of this meter's kind
     */
    public String cloudWatch(String suffix) {
        if (!kind.suffixes().contains(suffix)) {
            throw new IllegalArgumentException(kind + " " + name + " publishes " + kind.suffixes() + ", not " + suffix);
        }
        return name + "." + suffix;
    }

    /** Every CloudWatch metric name this meter publishes. */
    public List<String> cloudWatchNames() {
        return kind.suffixes().stream().map(s -> name + "." + s).toList();
    }
}
