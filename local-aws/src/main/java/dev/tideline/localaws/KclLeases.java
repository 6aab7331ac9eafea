package dev.tideline.localaws;

import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.kinesis.common.InitialPositionInStream;
import software.amazon.kinesis.common.InitialPositionInStreamExtended;
import software.amazon.kinesis.leases.HierarchicalShardSyncer;
import software.amazon.kinesis.leases.LeaseManagementConfig;
import software.amazon.kinesis.leases.LeaseManagementFactory;
import software.amazon.kinesis.leases.LeaseRefresher;
import software.amazon.kinesis.metrics.NullMetricsScope;

/**
 * Creates a KCL application's lease table and its leases before any worker starts.
 *
 * <p>KCL 2.x waits a random 1-30 s before its first shard sync when it finds an empty lease table.
 * Creating the leases first, with KCL's own {@link HierarchicalShardSyncer}, lets workers take
 * leases at once. The leases are exactly what KCL would create itself.
 */
public final class KclLeases {

    private KclLeases() {}

    /**
     * @param application the KCL application name, which is also its lease table
     * @param initialPosition where leases of shards without a checkpoint start
     */
    // The single-stream LeaseManagementConfig is deprecated in favour of the multi-stream plumbing the
    // Scheduler sets up; for creating one stream's leases outside a Scheduler it is the direct way.
    @SuppressWarnings("deprecation")
    public static void precreate(
            KinesisAsyncClient kinesis,
            DynamoDbAsyncClient dynamo,
            String application,
            String stream,
            InitialPositionInStream initialPosition) {
        LeaseManagementFactory factory = new LeaseManagementConfig(
                        application, dynamo, kinesis, stream, "lease-precreator")
                .leaseManagementFactory();
        try {
            LeaseRefresher leases = factory.createLeaseRefresher();
            leases.createLeaseTableIfNotExists();
            if (!leases.waitUntilLeaseTableExists(1, 30)) {
                throw new IllegalStateException("lease table " + application + " was not created within 30 s");
            }
            new HierarchicalShardSyncer()
                    .checkAndCreateLeaseForNewShards(
                            factory.createShardDetector(),
                            leases,
                            InitialPositionInStreamExtended.newInitialPosition(initialPosition),
                            new NullMetricsScope(),
                            false,
                            leases.isLeaseTableEmpty());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating leases for " + application, e);
        } catch (Exception e) {
            throw new IllegalStateException("could not create the leases of " + application + " on " + stream, e);
        }
    }
}
