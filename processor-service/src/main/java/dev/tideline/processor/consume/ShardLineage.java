package dev.tideline.processor.consume;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.model.ListShardsResponse;
import software.amazon.awssdk.services.kinesis.model.Shard;

/** The parents of a stream's shards, from {@code ListShards}, listed again when a shard is unknown. */
final class ShardLineage {

    private final KinesisAsyncClient kinesis;
    private final String stream;
    private final Map<String, List<String>> parents = new ConcurrentHashMap<>();

    ShardLineage(KinesisAsyncClient kinesis, String stream) {
        this.kinesis = kinesis;
        this.stream = stream;
    }

    /** The shards {@code shardId} was split or merged from; empty for an original shard. */
    List<String> parents(String shardId) {
        List<String> known = parents.get(shardId);
        if (known != null) {
            return known;
        }
        ListShardsResponse page = kinesis.listShards(r -> r.streamName(stream)).join();
        while (true) {
            page.shards().forEach(shard -> parents.put(shard.shardId(), parentsOf(shard)));
            String next = page.nextToken();
            if (next == null) {
                break;
            }
            page = kinesis.listShards(r -> r.nextToken(next)).join();
        }
        return parents.getOrDefault(shardId, List.of());
    }

    private static List<String> parentsOf(Shard shard) {
        List<String> ids = new ArrayList<>(2);
        if (shard.parentShardId() != null) {
            ids.add(shard.parentShardId());
        }
        if (shard.adjacentParentShardId() != null) {
            ids.add(shard.adjacentParentShardId());
        }
        return List.copyOf(ids);
    }
}
