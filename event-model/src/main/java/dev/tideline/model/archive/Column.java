package dev.tideline.model.archive;

/**
 * One column of the archive.
 *
 * @param name snake_case, as in Parquet, Glue and Athena
 * @param nullable whether a row may lack a value
 * @param comment what the column holds, for the Glue catalogue
 */
public record Column(String name, ColumnType type, boolean nullable, String comment) {}
