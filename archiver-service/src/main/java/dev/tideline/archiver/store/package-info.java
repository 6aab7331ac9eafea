/** The archive bucket: deterministic keys, create-if-absent objects, and where each one ends. */
@NullMarked
package dev.tideline.archiver.store;

import org.jspecify.annotations.NullMarked;
