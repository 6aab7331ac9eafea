/** Settings, AWS clients and the wiring of the archiver service. */
@NullMarked
package dev.tideline.archiver.config;

import org.jspecify.annotations.NullMarked;
