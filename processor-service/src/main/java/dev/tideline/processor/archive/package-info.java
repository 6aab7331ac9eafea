/** The archive as the rebuild reads it: the bucket's event objects, listed and copied to disk. */
@NullMarked
package dev.tideline.processor.archive;

import org.jspecify.annotations.NullMarked;
