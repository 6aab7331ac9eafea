/** The console's settings and its read-only AWS clients. */
@NullMarked
package dev.tideline.console.config;

import org.jspecify.annotations.NullMarked;
