package dev.tideline.processor.generation;

import dev.tideline.model.names.Layout;

/**
 * A generation's number and the names of its tables. Generation 1 is the one every stack
 * provisions ({@code tideline-aggregates}, lease table {@code tideline-processor}); a rebuild
 * creates generation {@code n} as {@code tideline-aggregates-g<n>} and {@code tideline-processor-g<n>}.
 */
public record Generation(int number) {

    public static final Generation FIRST = new Generation(1);

    public Generation {
        if (number < 1) {
            throw new IllegalArgumentException("generations count from 1, not " + number);
        }
    }

    public Generation next() {
        return new Generation(number + 1);
    }

    /** This generation's aggregates table, from the first generation's. */
    public String table(String first) {
        return Layout.ofGeneration(first, number);
    }

    /** The KCL application name (and lease table) of this generation's consumer, from the first's. */
    public String application(String first) {
        return Layout.ofGeneration(first, number);
    }

    @Override
    public String toString() {
        return "generation " + number;
    }
}
