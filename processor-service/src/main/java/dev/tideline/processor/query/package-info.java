/** The query API over the aggregates: user activity and top pages. */
@NullMarked
package dev.tideline.processor.query;

import org.jspecify.annotations.NullMarked;
