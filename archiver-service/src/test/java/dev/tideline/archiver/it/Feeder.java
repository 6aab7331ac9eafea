package dev.tideline.archiver.it;

import dev.tideline.model.event.ClickEvent;
import dev.tideline.model.event.ClickEventCodec;
import dev.tideline.model.kpl.AggregatedRecord;
import dev.tideline.model.kpl.Kpl;
import dev.tideline.model.kpl.UserRecord;
import dev.tideline.model.shard.ShardMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;

/** Writes events as the ingest service does (KPL aggregates per shard), or raw bytes; fails on any loss. */
final class Feeder {

    private final KinesisClient kinesis;
    private final String stream;

    Feeder(KinesisClient kinesis, String stream) {
        this.kinesis = kinesis;
        this.stream = stream;
    }

    void aggregated(List<ClickEvent> events) {
        ClickEventCodec codec = new ClickEventCodec();
        ShardMap map = ShardMap.of(kinesis.listShards(r -> r.streamName(stream)).shards());
        Map<String, List<UserRecord>> byShard = new LinkedHashMap<>();
        events.forEach(e -> byShard.computeIfAbsent(map.shardFor(e.userId()), s -> new ArrayList<>())
                .add(UserRecord.of(e.userId(), codec.write(e))));
        List<PutRecordsRequestEntry> entries = new ArrayList<>();
        byShard.values().forEach(records -> {
            for (AggregatedRecord a : Kpl.aggregate(records, 50 * 1024)) {
                entries.add(entry(a.partitionKey(), a.data()));
            }
        });
        put(entries);
    }

    void raw(String partitionKey, byte[] data) {
        put(List.of(entry(partitionKey, data)));
    }

    private static PutRecordsRequestEntry entry(String partitionKey, byte[] data) {
        return PutRecordsRequestEntry.builder()
                .partitionKey(partitionKey)
                .data(SdkBytes.fromByteArray(data))
                .build();
    }

    private void put(List<PutRecordsRequestEntry> entries) {
        for (int from = 0; from < entries.size(); from += 500) {
            var chunk = entries.subList(from, Math.min(entries.size(), from + 500));
            var response = kinesis.putRecords(r -> r.streamName(stream).records(chunk));
            if (response.failedRecordCount() != null && response.failedRecordCount() > 0) {
                throw new IllegalStateException(response.failedRecordCount() + " records were not written");
            }
        }
    }
}
