/** The console's page, its JSON and the status table of {@code ./tideline status}. */
@NullMarked
package dev.tideline.console.web;

import org.jspecify.annotations.NullMarked;
