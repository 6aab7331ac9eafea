/** Archived rows as Parquet files, written with parquet-avro and the schema from {@code event-model}. */
@NullMarked
package dev.tideline.archiver.parquet;

import org.jspecify.annotations.NullMarked;
