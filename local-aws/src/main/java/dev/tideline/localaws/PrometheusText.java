package dev.tideline.localaws;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads values out of a service's {@code /actuator/prometheus} text, for the demo and for tests. */
public final class PrometheusText {

    private PrometheusText() {}

    /** The sum of the series of {@code name} whose labels contain {@code labelText} ("" for all). */
    public static double sum(String text, String name, String labelText) {
        double sum = 0;
        Matcher m = series(name).matcher(text);
        while (m.find()) {
            String labels = m.group(1) == null ? "" : m.group(1);
            if (labels.contains(labelText)) {
                sum += Double.parseDouble(m.group(2));
            }
        }
        return sum;
    }

    /** The largest value among the series of {@code name}, 0 when there is none. */
    public static double max(String text, String name) {
        double max = 0;
        Matcher m = series(name).matcher(text);
        while (m.find()) {
            max = Math.max(max, Double.parseDouble(m.group(2)));
        }
        return max;
    }

    private static Pattern series(String name) {
        return Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*})? ([0-9.eE+-]+)$");
    }
}
