package dev.tideline.processor.rebuild;

import java.util.Map;

/** KCL's lease tables, read and created through KCL's own lease code. */
public interface LeaseTables {

    /** Each shard's checkpoint in an application's lease table; empty when there is no such table. */
    Map<String, Plan.Checkpoint> checkpoints(String application);

    /**
     * Creates {@code application}'s lease table, if absent, with a lease for each shard of the plan:
     * its lineage from {@code from}'s lease, its checkpoint from the plan, no owner. Leases already
     * there are left as they are.
     */
    void create(String application, String from, Plan plan);
}
