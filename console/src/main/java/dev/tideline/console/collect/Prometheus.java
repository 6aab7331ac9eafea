package dev.tideline.console.collect;

import dev.tideline.model.metrics.MeterName;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * One scrape of a service's {@code /actuator/prometheus}: its samples, by Prometheus name (a
 * {@link MeterName} with dots as underscores, then the unit or {@code _total}).
 */
public record Prometheus(List<Sample> samples) {

    /** One line of the text format. */
    public record Sample(String name, Map<String, String> labels, double value) {}

    /** The Prometheus name of a meter: {@code tideline.processor.lag} and {@code _seconds}. */
    public static String name(MeterName meter, String suffix) {
        return meter.name().replace('.', '_') + suffix;
    }

    /** Parses the text exposition format; comments and lines it cannot read are skipped. */
    public static Prometheus parse(String text) {
        return parse(text, line -> true);
    }

    /**
     * Parses the lines that {@code wanted} accepts (it sees each line's start), skipping the rest
     * unread: a service publishes hundreds of series of which the console shows a few.
     */
    public static Prometheus parse(String text, Predicate<String> wanted) {
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            Sample s = line.isEmpty() || line.charAt(0) == '#' || !wanted.test(line) ? null : sample(line);
            if (s != null) {
                samples.add(s);
            }
        }
        return new Prometheus(List.copyOf(samples));
    }

    private static @Nullable Sample sample(String line) {
        int brace = line.indexOf('{');
        int space;
        String name;
        Map<String, String> labels = new HashMap<>();
        if (brace >= 0) {
            name = line.substring(0, brace);
            int end = labels(line, brace + 1, labels);
            if (end < 0) {
                return null;
            }
            space = end + 1;
        } else {
            space = line.indexOf(' ');
            if (space < 0) {
                return null;
            }
            name = line.substring(0, space);
        }
        String rest = line.substring(space).trim();
        int timestamp = rest.indexOf(' ');
        String value = timestamp < 0 ? rest : rest.substring(0, timestamp);
        try {
            return new Sample(name, Map.copyOf(labels), Double.parseDouble(value.replace("+Inf", "Infinity")));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Reads {@code a="b",c="d"} up to the closing brace; the brace's index, or -1. */
    private static int labels(String line, int from, Map<String, String> into) {
        int i = from;
        while (i < line.length() && line.charAt(i) != '}') {
            int eq = line.indexOf('=', i);
            if (eq < 0 || eq + 1 >= line.length() || line.charAt(eq + 1) != '"') {
                return -1;
            }
            StringBuilder value = new StringBuilder();
            int j = eq + 2;
            for (; j < line.length() && line.charAt(j) != '"'; j++) {
                char c = line.charAt(j);
                if (c == '\\' && j + 1 < line.length()) {
                    char n = line.charAt(++j);
                    value.append(n == 'n' ? '\n' : n);
                } else {
                    value.append(c);
                }
            }
            into.put(line.substring(i, eq).trim(), value.toString());
            i = j + 1;
            if (i < line.length() && line.charAt(i) == ',') {
                i++;
            }
        }
        return i < line.length() ? i : -1;
    }

    /** The sum of the series of {@code name} whose labels pass {@code which}; empty when there is none. */
    public OptionalDouble sum(String name, Predicate<Map<String, String>> which) {
        boolean any = false;
        double sum = 0;
        for (Sample s : samples) {
            if (s.name().equals(name) && which.test(s.labels()) && !Double.isNaN(s.value())) {
                sum += s.value();
                any = true;
            }
        }
        return any ? OptionalDouble.of(sum) : OptionalDouble.empty();
    }

    /** The sum of every series of {@code name}. */
    public OptionalDouble sum(String name) {
        return sum(name, labels -> true);
    }

    /** The largest value among the series of {@code name}; empty when there is none, or only NaN. */
    public OptionalDouble max(String name) {
        return samples.stream()
                .filter(s -> s.name().equals(name) && !Double.isNaN(s.value()))
                .mapToDouble(Sample::value)
                .max();
    }

    /** Each series of {@code name} by the value of its label {@code label}. */
    public Map<String, Double> byLabel(String name, String label) {
        Map<String, Double> values = new HashMap<>();
        for (Sample s : samples) {
            String key = s.labels().get(label);
            if (s.name().equals(name) && key != null && !Double.isNaN(s.value())) {
                values.merge(key, s.value(), Double::sum);
            }
        }
        return values;
    }
}
