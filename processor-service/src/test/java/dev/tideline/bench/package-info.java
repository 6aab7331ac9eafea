/** {@code ./tideline bench processor}: this design against a naive per-record one, on the embedded stack. */
@NullMarked
package dev.tideline.bench;

import org.jspecify.annotations.NullMarked;
