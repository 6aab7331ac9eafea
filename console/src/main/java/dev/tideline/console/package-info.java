/**
 * The operators' console (docs/ARCHITECTURE.md, "The operators' console"): it reads what operators
 * trust (the lease tables, the stream's API, the aggregates table's dead letters, the archive's
 * {@code errors/} prefix and the services' own meters) and writes nothing anywhere.
 */
@NullMarked
package dev.tideline.console;

import org.jspecify.annotations.NullMarked;
