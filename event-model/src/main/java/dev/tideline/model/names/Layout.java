package dev.tideline.model.names;

/**
 * The keys and prefixes inside Tideline's resources that more than one module relies on: the
 * services that write them, the embedded stack and LocalStack script that create the resources,
 * and the CDK app whose IAM policies, TTL and Glue table name them.
 */
public final class Layout {

    /** Partition key of the aggregates table (single-table design). */
    public static final String AGGREGATES_PARTITION_KEY = "pk";

    /** Sort key of the aggregates table. */
    public static final String AGGREGATES_SORT_KEY = "sk";

    /** Epoch-seconds attribute after which DynamoDB deletes an aggregates item. */
    public static final String AGGREGATES_TTL = "expires_at";

    /** Hash key of a KCL 2.x lease table. */
    public static final String LEASE_KEY = "leaseKey";

    /** Archive objects: {@code events/dt=YYYY-MM-DD/hour=HH/<shard-id>-<first-sequence-number>.parquet}. */
    public static final String EVENTS_PREFIX = "events/";

    /** Rejected records: {@code errors/<reason>/dt=YYYY-MM-DD/hour=HH/...}. */
    public static final String ERRORS_PREFIX = "errors/";

    /**
     * Athena's, on AWS: {@code athena/queries/} its query results, {@code athena/rebuild/} a rebuild's
     * staged records and answers while it runs.
     */
    public static final String ATHENA_PREFIX = "athena/";

    /** Partition key of the generation pointer, an item of the first generation's aggregates table. */
    public static final String POINTER_PARTITION = "generation";

    /** Sort key of the generation pointer. */
    public static final String POINTER_SORT = "pointer";

    /** The pointer's attribute holding the number of the generation served. */
    public static final String POINTER_CURRENT = "current";

    /**
     * A resource of a generation of the aggregates, from the first generation's name: the same for
     * generation 1 (what every stack provisions), {@code <name>-g<n>} for a rebuilt generation
     * {@code n}. The aggregates table and the processor's lease table are named so.
     */
    public static String ofGeneration(String first, int generation) {
        if (generation < 1) {
            throw new IllegalArgumentException("generations count from 1, not " + generation);
        }
        return generation == 1 ? first : first + "-g" + generation;
    }

    private Layout() {}
}
