package dev.tideline.processor.generation;

import dev.tideline.processor.apply.AggregateStore;

/** The aggregates the query API reads: the current generation's. */
@FunctionalInterface
public interface Served {

    AggregateStore store();
}
