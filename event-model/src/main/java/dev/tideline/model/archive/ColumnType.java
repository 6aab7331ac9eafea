package dev.tideline.model.archive;

/**
 * A column type of the archive, named as Glue (Hive DDL) names it. The archiver gives each its Parquet
 * form; the rebuild reads them back by name.
 */
public enum ColumnType {
    STRING("string"),
    BOOLEAN("boolean"),
    BIGINT("bigint"),
    /** UTC instant in milliseconds: Parquet TIMESTAMP(MILLIS, isAdjustedToUTC=true). */
    TIMESTAMP("timestamp"),
    STRING_MAP("map<string,string>");

    private final String glueType;

    ColumnType(String glueType) {
        this.glueType = glueType;
    }

    /** The type as Glue and Athena name it. */
    public String glueType() {
        return glueType;
    }
}
