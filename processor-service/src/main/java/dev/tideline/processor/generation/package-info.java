/**
 * Generations of the aggregates: each is a table of items and the lease table of the consumer that
 * keeps it, and one pointer says which generation the query API serves and the consumers keep. A
 * rebuild makes the next generation beside the current one and moves the pointer in one write. No
 * AWS types: the pointer is read and moved through {@link dev.tideline.processor.generation.Generations}.
 */
@NullMarked
package dev.tideline.processor.generation;

import org.jspecify.annotations.NullMarked;
