/**
 * Archived rows as Parquet files: the schema made from {@code event-model}'s columns, written and read
 * with parquet-java's column API and pure-Java codecs, without Hadoop's configuration or native code.
 */
@NullMarked
package dev.tideline.archiver.parquet;

import org.jspecify.annotations.NullMarked;
