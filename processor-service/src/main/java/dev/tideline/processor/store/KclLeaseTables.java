package dev.tideline.processor.store;

import dev.tideline.processor.rebuild.LeaseTables;
import dev.tideline.processor.rebuild.Plan;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.kinesis.leases.Lease;
import software.amazon.kinesis.leases.LeaseManagementConfig;
import software.amazon.kinesis.leases.dynamodb.DynamoDBLeaseRefresher;
import software.amazon.kinesis.leases.dynamodb.DynamoDBLeaseSerializer;
import software.amazon.kinesis.leases.dynamodb.TableCreatorCallback;
import software.amazon.kinesis.leases.exceptions.LeasingException;
import software.amazon.kinesis.retrieval.kpl.ExtendedSequenceNumber;

/** Lease tables read and made with KCL's own lease code, so their items are the ones KCL reads. */
public final class KclLeaseTables implements LeaseTables {

    private final DynamoDbAsyncClient dynamo;

    public KclLeaseTables(DynamoDbAsyncClient dynamo) {
        this.dynamo = dynamo;
    }

    private DynamoDBLeaseRefresher refresher(String application) {
        // KCL's defaults for a table it creates: on demand, no deletion protection, no point-in-time
        // recovery, no tags.
        return new DynamoDBLeaseRefresher(
                application,
                dynamo,
                new DynamoDBLeaseSerializer(),
                true,
                TableCreatorCallback.NOOP_TABLE_CREATOR_CALLBACK,
                LeaseManagementConfig.DEFAULT_REQUEST_TIMEOUT,
                BillingMode.PAY_PER_REQUEST,
                false,
                false,
                List.of());
    }

    @Override
    public Map<String, Plan.Checkpoint> checkpoints(String application) {
        DynamoDBLeaseRefresher table = refresher(application);
        Map<String, Plan.Checkpoint> out = new LinkedHashMap<>();
        try {
            if (!table.leaseTableExists()) {
                return out;
            }
            for (Lease lease : table.listLeases()) {
                ExtendedSequenceNumber c = lease.checkpoint();
                if (c != null) {
                    out.put(lease.leaseKey(), new Plan.Checkpoint(c.sequenceNumber(), c.subSequenceNumber()));
                }
            }
            return out;
        } catch (LeasingException e) {
            throw new IllegalStateException("the lease table " + application + " cannot be read: " + e.getMessage(), e);
        }
    }

    @Override
    public void create(String application, String from, Plan plan) {
        DynamoDBLeaseRefresher source = refresher(from);
        DynamoDBLeaseRefresher target = refresher(application);
        try {
            target.createLeaseTableIfNotExists();
            if (!target.waitUntilLeaseTableExists(1, TimeUnit.MINUTES.toSeconds(5))) {
                throw new IllegalStateException("the lease table " + application + " did not become active");
            }
            for (Lease lease : source.listLeases()) {
                Plan.Checkpoint planned = plan.checkpoints().get(lease.leaseKey());
                if (planned == null) {
                    continue;
                }
                Lease copy = lease.copy();
                copy.leaseOwner(null);
                copy.leaseCounter(0L);
                copy.ownerSwitchesSinceCheckpoint(0L);
                copy.checkpoint(new ExtendedSequenceNumber(planned.sequence(), planned.subSequence()));
                copy.pendingCheckpoint(null);
                copy.pendingCheckpointState(null);
                target.createLeaseIfNotExists(copy);
            }
        } catch (LeasingException e) {
            throw new IllegalStateException("the lease table " + application + " cannot be made: " + e.getMessage(), e);
        }
    }
}
