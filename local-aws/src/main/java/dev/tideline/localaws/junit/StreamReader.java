package dev.tideline.localaws.junit;

import dev.tideline.model.event.ClickEvent;
import dev.tideline.model.event.ClickEventCodec;
import dev.tideline.model.kpl.Kpl;
import dev.tideline.model.kpl.UserRecord;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/** Reads a whole stream with plain GetRecords and KPL deaggregation: an independent check of what ingest wrote. */
public final class StreamReader {

    /** One event as found on the stream, with the shard of the Kinesis record that carried it. */
    public record Found(String shardId, ClickEvent event) {}

    private StreamReader() {}

    public static List<Found> readAll(KinesisClient kinesis, String stream) {
        ClickEventCodec codec = new ClickEventCodec();
        List<Found> found = new ArrayList<>();
        for (Shard shard : kinesis.listShards(r -> r.streamName(stream)).shards()) {
            String iterator = kinesis.getShardIterator(r -> r.streamName(stream)
                            .shardId(shard.shardId())
                            .shardIteratorType(ShardIteratorType.TRIM_HORIZON))
                    .shardIterator();
            while (iterator != null) {
                String current = iterator;
                var response = kinesis.getRecords(r -> r.shardIterator(current).limit(10_000));
                for (Record record : response.records()) {
                    for (UserRecord user :
                            Kpl.deaggregate(record.partitionKey(), record.data().asByteArray())) {
                        found.add(new Found(shard.shardId(), codec.readStored(user.data())));
                    }
                }
                boolean caughtUp = response.records().isEmpty() && response.millisBehindLatest() == 0;
                iterator = caughtUp ? null : response.nextShardIterator();
            }
        }
        return found;
    }
}
