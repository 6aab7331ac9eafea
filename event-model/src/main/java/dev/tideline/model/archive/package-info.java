/** The archived row: one column list that yields the Parquet schema and the Glue columns. */
@NullMarked
package dev.tideline.model.archive;

import org.jspecify.annotations.NullMarked;
