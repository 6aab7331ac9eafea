package dev.tideline.processor.rebuild;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** What the stream still holds, asked before a rebuild hands a plan's positions to a new consumer. */
public interface StreamPositions {

    /**
     * The shards of {@code plan} whose checkpoint is a position the stream does not have, or an
     * earlier stream's (the end of a shard the stream has open, or a position before its first): a
     * stream deleted and created again has shards of the same names whose positions are new, and a
     * consumer started at an old one could never read on.
     */
    List<String> missing(Plan plan);

    /**
     * The sequence number of the first record {@code shard} holds after {@code after} (from its
     * start when {@code after} is not a position); null when it holds none there, or does not have
     * {@code after}.
     */
    @Nullable
    String firstAfter(String shard, Plan.Checkpoint after);

    /** When the stream was created: a record that arrived before it was an earlier stream's of that name. */
    Instant created();

    /** The ids of the shards the stream has, open and closed. */
    Set<String> shards();
}
