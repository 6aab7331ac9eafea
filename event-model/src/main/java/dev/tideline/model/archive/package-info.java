/** The archived row: one column list that yields the Parquet (Avro) schema and the Glue columns. */
package dev.tideline.model.archive;
