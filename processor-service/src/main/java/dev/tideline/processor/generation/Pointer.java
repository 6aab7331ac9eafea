package dev.tideline.processor.generation;

import dev.tideline.processor.apply.ApplySettings;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Which generation is served, which one a rebuild is making, and which one is retired.
 *
 * @param current the generation the query API serves and the consumers keep
 * @param rules the rules {@code current} was folded by; null for the configured ones (a first
 *     generation)
 * @param building the generation a rebuild is making, with its plan; null when none is
 * @param previous the generation the last switch retired, until it is deleted; null when none
 * @param deleteAfter when {@code previous} may be deleted; null to keep it
 */
public record Pointer(
        Generation current,
        @Nullable Rules rules,
        @Nullable Building building,
        @Nullable Generation previous,
        @Nullable Instant deleteAfter) {

    /** A stack where no rebuild ever ran. */
    public static final Pointer INITIAL = new Pointer(Generation.FIRST, null, null, null, null);

    /**
     * A generation being built.
     *
     * @param plan what the rebuild covers ({@code Plan#encode}): the same on every attempt
     * @param rules the rules it is folded by
     * @param loaded whether its items and lease table are written, so that its consumer may run
     */
    public record Building(Generation generation, String plan, Rules rules, boolean loaded) {}

    /** The settings {@code current} is kept by: {@code base} with its rules. */
    public ApplySettings settings(ApplySettings base) {
        return rules == null ? base : rules.applyTo(base);
    }
}
