package dev.tideline.localaws.junit;

import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** KCL's lease table, read directly: who holds which shard. */
public final class LeaseTable {

    private final DynamoDbClient dynamo;
    private final String table;

    public LeaseTable(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    /** Open (not yet ended) shards by lease key, with their owner or "" when none. */
    public Map<String, String> owners() {
        Map<String, String> owners = new TreeMap<>();
        dynamo.scanPaginator(r -> r.tableName(table).consistentRead(true))
                .items()
                .forEach(item -> {
                    AttributeValue checkpoint = item.get("checkpoint");
                    if (checkpoint != null && "SHARD_END".equals(checkpoint.s())) {
                        return;
                    }
                    AttributeValue owner = item.get("leaseOwner");
                    owners.put(item.get("leaseKey").s(), owner == null ? "" : owner.s());
                });
        return owners;
    }

    public long ownedBy(String workerId) {
        return owners().values().stream().filter(workerId::equals).count();
    }
}
