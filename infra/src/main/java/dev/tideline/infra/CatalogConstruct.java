package dev.tideline.infra;

import dev.tideline.model.archive.ArchiveSchema;
import dev.tideline.model.archive.Column;
import dev.tideline.model.names.Layout;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.glue.CfnDatabase;
import software.amazon.awscdk.services.glue.CfnTable;
import software.amazon.awscdk.services.s3.IBucket;
import software.constructs.Construct;

/**
 * The Glue database and the table over {@code events/}, its columns derived from
 * {@link ArchiveSchema}, with partition projection on {@code dt} and {@code hour} so that Athena
 * finds new partitions without a crawler or {@code MSCK REPAIR}.
 */
public final class CatalogConstruct extends Construct {

    /**
     * @param firstDay first {@code dt} partition projection considers, YYYY-MM-DD
     */
    public record Props(String database, String table, IBucket bucket, String firstDay) {

        public Props {
            Objects.requireNonNull(database, "database");
            Objects.requireNonNull(table, "table");
            Objects.requireNonNull(bucket, "bucket");
            if (!firstDay.matches("\\d{4}-\\d{2}-\\d{2}")) {
                throw new IllegalArgumentException("firstDay is YYYY-MM-DD, not " + firstDay);
            }
        }
    }

    private final CfnDatabase database;
    private final CfnTable table;
    private final Props props;

    public CatalogConstruct(Construct scope, String id, Props props) {
        super(scope, id);
        this.props = props;
        String account = Stack.of(this).getAccount();
        this.database = CfnDatabase.Builder.create(this, "Database")
                .catalogId(account)
                .databaseInput(CfnDatabase.DatabaseInputProperty.builder()
                        .name(props.database())
                        .description("Tideline clickstream archive")
                        .build())
                .build();
        String location = "s3://" + props.bucket().getBucketName() + "/" + Layout.EVENTS_PREFIX;
        this.table = CfnTable.Builder.create(this, "Table")
                .catalogId(account)
                .databaseName(props.database())
                .tableInput(CfnTable.TableInputProperty.builder()
                        .name(props.table())
                        .description(
                                "Clickstream events, one row per event, Parquet, partitioned by arrival hour (UTC)")
                        .tableType("EXTERNAL_TABLE")
                        .parameters(parameters(location))
                        .partitionKeys(ArchiveSchema.PARTITION_KEYS.stream()
                                .map(k -> CfnTable.ColumnProperty.builder()
                                        .name(k)
                                        .type("string")
                                        .build())
                                .toList())
                        .storageDescriptor(CfnTable.StorageDescriptorProperty.builder()
                                .location(location)
                                .inputFormat("org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat")
                                .outputFormat("org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat")
                                .serdeInfo(CfnTable.SerdeInfoProperty.builder()
                                        .serializationLibrary(
                                                "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe")
                                        .parameters(Map.of("serialization.format", "1"))
                                        .build())
                                .columns(columns())
                                .build())
                        .build())
                .build();
        table.getNode().addDependency(database);
    }

    private Map<String, String> parameters(String location) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("classification", "parquet");
        p.put("EXTERNAL", "TRUE");
        p.put("projection.enabled", "true");
        p.put("projection.dt.type", "date");
        p.put("projection.dt.format", "yyyy-MM-dd");
        p.put("projection.dt.range", props.firstDay() + ",NOW");
        p.put("projection.dt.interval", "1");
        p.put("projection.dt.interval.unit", "DAYS");
        p.put("projection.hour.type", "integer");
        p.put("projection.hour.range", "0,23");
        p.put("projection.hour.digits", "2");
        p.put("storage.location.template", location + "dt=${dt}/hour=${hour}/");
        return p;
    }

    static List<CfnTable.ColumnProperty> columns() {
        return ArchiveSchema.COLUMNS.stream().map(CatalogConstruct::column).toList();
    }

    private static CfnTable.ColumnProperty column(Column c) {
        return CfnTable.ColumnProperty.builder()
                .name(c.name())
                .type(c.type().glueType())
                .comment(c.comment())
                .build();
    }

    /**
     * What a grant on {@code tables} of {@code database} must name in Glue: the catalog, the
     * database, and each table (a name may end in {@code *}).
     */
    static List<String> arns(Construct scope, String database, List<String> tables) {
        Stack stack = Stack.of(scope);
        String catalog = "arn:" + stack.getPartition() + ":glue:" + stack.getRegion() + ":" + stack.getAccount();
        List<String> arns = new ArrayList<>(List.of(catalog + ":catalog", catalog + ":database/" + database));
        tables.forEach(t -> arns.add(catalog + ":table/" + database + "/" + t));
        return arns;
    }

    public String databaseName() {
        return props.database();
    }

    public String tableName() {
        return props.table();
    }

    public CfnTable table() {
        return table;
    }
}
