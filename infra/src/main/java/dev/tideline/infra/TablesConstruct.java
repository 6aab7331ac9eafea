package dev.tideline.infra;

import dev.tideline.model.names.Layout;
import java.util.Objects;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.BillingMode;
import software.amazon.awscdk.services.dynamodb.PointInTimeRecoverySpecification;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.dynamodb.TableEncryption;
import software.constructs.Construct;

/**
 * The DynamoDB tables: the two KCL lease tables, created here with KCL's own key schema so that
 * the consumers' IAM policies can name them exactly (KCL then finds them and creates nothing), and
 * the processor's aggregates table. All on-demand, with point-in-time recovery.
 */
public final class TablesConstruct extends Construct {

    /**
     * @param removal what happens to the tables when the stack is deleted; {@code RETAIN} keeps the
     *     aggregates and checkpoints
     */
    public record Props(String processorLeases, String archiverLeases, String aggregates, RemovalPolicy removal) {

        public Props {
            Objects.requireNonNull(processorLeases, "processorLeases");
            Objects.requireNonNull(archiverLeases, "archiverLeases");
            Objects.requireNonNull(aggregates, "aggregates");
            Objects.requireNonNull(removal, "removal");
        }
    }

    private final Table processorLeases;
    private final Table archiverLeases;
    private final Table aggregates;

    public TablesConstruct(Construct scope, String id, Props props) {
        super(scope, id);
        this.processorLeases = leaseTable("ProcessorLeases", props.processorLeases(), props.removal());
        this.archiverLeases = leaseTable("ArchiverLeases", props.archiverLeases(), props.removal());
        this.aggregates = Table.Builder.create(this, "Aggregates")
                .tableName(props.aggregates())
                .partitionKey(key(Layout.AGGREGATES_PARTITION_KEY))
                .sortKey(key(Layout.AGGREGATES_SORT_KEY))
                .timeToLiveAttribute(Layout.AGGREGATES_TTL)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .encryption(TableEncryption.AWS_MANAGED)
                .pointInTimeRecoverySpecification(pitr())
                .removalPolicy(props.removal())
                .build();
    }

    private Table leaseTable(String id, String name, RemovalPolicy removal) {
        return Table.Builder.create(this, id)
                .tableName(name)
                .partitionKey(key(Layout.LEASE_KEY))
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .encryption(TableEncryption.AWS_MANAGED)
                .pointInTimeRecoverySpecification(pitr())
                .removalPolicy(removal)
                .build();
    }

    private static Attribute key(String name) {
        return Attribute.builder().name(name).type(AttributeType.STRING).build();
    }

    private static PointInTimeRecoverySpecification pitr() {
        return PointInTimeRecoverySpecification.builder()
                .pointInTimeRecoveryEnabled(true)
                .build();
    }

    public Table processorLeases() {
        return processorLeases;
    }

    public Table archiverLeases() {
        return archiverLeases;
    }

    public Table aggregates() {
        return aggregates;
    }
}
