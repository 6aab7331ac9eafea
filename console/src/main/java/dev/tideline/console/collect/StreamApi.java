package dev.tideline.console.collect;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.ListShardsResponse;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/** What the console reads from the stream's own API: its shards, and how far behind a checkpoint is. */
public final class StreamApi {

    /**
     * A shard of the stream.
     *
     * @param open whether it still takes records (no ending sequence number)
     * @param firstSequence the shard's starting sequence number
     */
    public record ShardInfo(
            String shardId,
            @Nullable String parent,
            String startingHashKey,
            String endingHashKey,
            boolean open,
            @Nullable String firstSequence) {}

    private final KinesisClient kinesis;
    private final Clock clock;

    public StreamApi(KinesisClient kinesis, Clock clock) {
        this.kinesis = kinesis;
        this.clock = clock;
    }

    public List<ShardInfo> shards(String stream) {
        List<ShardInfo> shards = new ArrayList<>();
        String next = null;
        do {
            String token = next;
            ListShardsResponse page = kinesis.listShards(b -> {
                if (token == null) {
                    b.streamName(stream);
                } else {
                    b.nextToken(token);
                }
            });
            for (Shard s : page.shards()) {
                shards.add(new ShardInfo(
                        s.shardId(),
                        s.parentShardId(),
                        s.hashKeyRange().startingHashKey(),
                        s.hashKeyRange().endingHashKey(),
                        s.sequenceNumberRange().endingSequenceNumber() == null,
                        s.sequenceNumberRange().startingSequenceNumber()));
            }
            next = page.nextToken();
        } while (next != null);
        return shards;
    }

    /**
     * How far a consumer's checkpoint is behind the tip of a shard, as the stream tells it: now minus
     * the arrival of the oldest record after the checkpoint, 0 when none is waiting. Two calls,
     * {@code GetShardIterator} and one {@code GetRecords} of at most one record; none for a checkpoint
     * that is not a position in the shard ({@code LATEST}, {@code SHARD_END}, none).
     */
    public long checkpointAgeMillis(String stream, String shardId, @Nullable String checkpoint) {
        if (checkpoint == null || "LATEST".equals(checkpoint) || "SHARD_END".equals(checkpoint)) {
            return 0;
        }
        boolean fromStart = "TRIM_HORIZON".equals(checkpoint) || "AT_TIMESTAMP".equals(checkpoint);
        String iterator = kinesis.getShardIterator(b -> {
                    b.streamName(stream).shardId(shardId);
                    if (fromStart) {
                        b.shardIteratorType(ShardIteratorType.TRIM_HORIZON);
                    } else {
                        b.shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER)
                                .startingSequenceNumber(checkpoint);
                    }
                })
                .shardIterator();
        GetRecordsResponse page =
                kinesis.getRecords(b -> b.shardIterator(iterator).limit(1));
        if (page.records().isEmpty()) {
            return 0;
        }
        long arrived = page.records().get(0).approximateArrivalTimestamp().toEpochMilli();
        return Math.max(0, clock.millis() - arrived);
    }
}
