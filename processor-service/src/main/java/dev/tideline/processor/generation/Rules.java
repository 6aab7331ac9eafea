package dev.tideline.processor.generation;

import dev.tideline.processor.apply.ApplySettings;
import java.time.Duration;

/**
 * The rules a generation was folded by, kept with it in the pointer: whoever keeps a generation
 * applies its rules, so a rebuild under a new session gap is continued under that gap, while the
 * previous generation keeps its own until the switch.
 */
public record Rules(Duration sessionGap, int maxEventTypes) {

    public static Rules of(ApplySettings settings) {
        return new Rules(settings.sessionGap(), settings.maxEventTypes());
    }

    /** {@code base} with these rules. */
    public ApplySettings applyTo(ApplySettings base) {
        return new ApplySettings(
                sessionGap,
                maxEventTypes,
                base.dedupe(),
                base.userCacheSize(),
                base.backoff(),
                base.dropUnknownFields());
    }

    public String encode() {
        return sessionGap + "/" + maxEventTypes;
    }

    public static Rules decode(String encoded) {
        int slash = encoded.indexOf('/');
        if (slash < 1) {
            throw new IllegalArgumentException("not a generation's rules: " + encoded);
        }
        return new Rules(Duration.parse(encoded.substring(0, slash)), Integer.parseInt(encoded.substring(slash + 1)));
    }
}
