/** Settings, AWS clients and the wiring of the processor service. */
@NullMarked
package dev.tideline.processor.config;

import org.jspecify.annotations.NullMarked;
