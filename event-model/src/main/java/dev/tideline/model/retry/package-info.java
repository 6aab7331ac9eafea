/** How every Tideline retry loop waits between attempts. */
@NullMarked
package dev.tideline.model.retry;

import org.jspecify.annotations.NullMarked;
