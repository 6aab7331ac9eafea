package dev.tideline.model.archive;

import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;

/** A column type of the archive, and its form in Avro (hence Parquet) and in Glue (Hive DDL). */
public enum ColumnType {
    STRING("string") {
        @Override
        Schema avro() {
            return Schema.create(Schema.Type.STRING);
        }
    },
    BOOLEAN("boolean") {
        @Override
        Schema avro() {
            return Schema.create(Schema.Type.BOOLEAN);
        }
    },
    BIGINT("bigint") {
        @Override
        Schema avro() {
            return Schema.create(Schema.Type.LONG);
        }
    },
    /** UTC instant in milliseconds: Parquet TIMESTAMP(MILLIS, isAdjustedToUTC=true). */
    TIMESTAMP("timestamp") {
        @Override
        Schema avro() {
            return LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG));
        }
    },
    STRING_MAP("map<string,string>") {
        @Override
        Schema avro() {
            return Schema.createMap(Schema.create(Schema.Type.STRING));
        }
    };

    private final String glueType;

    ColumnType(String glueType) {
        this.glueType = glueType;
    }

    /** The type as Glue and Athena name it. */
    public String glueType() {
        return glueType;
    }

    abstract Schema avro();
}
