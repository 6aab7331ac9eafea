package dev.tideline.rebuild;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A stream's oldest records made unreadable, as its retention period makes them on AWS: kinesis-mock
 * keeps every record, so its data file is edited while it is stopped. Each shard loses the oldest
 * half of its records, but never one past {@code upTo} (what the archiver has checkpointed): the
 * trim takes only what the archive holds, as a retention of hours does to an archiver minutes behind.
 *
 * <p>kinesis-mock numbers a new record by how many records its shard holds, so a trimmed shard
 * would give a new record the number of one it still holds: a stream trimmed here takes no new
 * records.
 */
final class TrimmedStream {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private TrimmedStream() {}

    /** Trims {@code stream} in kinesis-mock's data file; returns the records removed, per shard. */
    static Map<String, Integer> trim(Path dataFile, String stream, Map<String, BigInteger> upTo) throws IOException {
        ObjectNode root = (ObjectNode) JSON.readTree(Files.readString(dataFile));
        Map<String, Integer> removed = new TreeMap<>();
        for (JsonNode data : root.get("streams")) {
            if (!data.get("streamName").asString().equals(stream)) {
                continue;
            }
            data.get("shards").properties().forEach(shard -> {
                String shardId = JSON.readTree(shard.getKey()).get("ShardId").asString();
                ArrayNode records = (ArrayNode) shard.getValue();
                BigInteger last = upTo.getOrDefault(shardId, BigInteger.ZERO);
                int n = 0;
                while (n < records.size() / 2
                        && new BigInteger(records.get(n).get("SequenceNumber").asString()).compareTo(last) <= 0) {
                    n++;
                }
                for (int i = 0; i < n; i++) {
                    records.remove(0);
                }
                removed.put(shardId, n);
            });
        }
        Files.writeString(dataFile, JSON.writeValueAsString(root));
        return removed;
    }

    /** The records each shard of {@code stream} still answers, read from its trim horizon. */
    static Map<String, Integer> readable(KinesisClient kinesis, String stream) {
        Map<String, Integer> out = new TreeMap<>();
        for (Shard shard : kinesis.listShards(r -> r.streamName(stream)).shards()) {
            String iterator = kinesis.getShardIterator(r -> r.streamName(stream)
                            .shardId(shard.shardId())
                            .shardIteratorType(ShardIteratorType.TRIM_HORIZON))
                    .shardIterator();
            int count = 0;
            while (iterator != null) {
                String from = iterator;
                GetRecordsResponse page = kinesis.getRecords(r -> r.shardIterator(from));
                count += page.records().size();
                iterator = page.records().isEmpty() && page.millisBehindLatest() == 0 ? null : page.nextShardIterator();
            }
            out.put(shard.shardId(), count);
        }
        return out;
    }
}
