/**
 * Reading the sources the console shows, once per refresh: the stream's API, the lease tables, the
 * services' meters, the dead letters and the archive's {@code errors/}.
 */
@NullMarked
package dev.tideline.console.collect;

import org.jspecify.annotations.NullMarked;
