package dev.tideline.processor.it;

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
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;

/**
 * Writes events to the stream as the ingest service does: KPL aggregates grouped by the shard each
 * user maps to, or one record per event. Calls go one after another and any failed record fails the
 * test, so each user's events are on the stream in the order given.
 */
final class StreamFeeder {

    private static final ClickEventCodec CODEC = new ClickEventCodec();
    private static final int AGGREGATE_BYTES = 50 * 1024;

    private final KinesisClient kinesis;
    private final String stream;

    StreamFeeder(KinesisClient kinesis, String stream) {
        this.kinesis = kinesis;
        this.stream = stream;
    }

    /** KPL aggregates, each holding users of one shard of the current shard map. */
    void aggregated(List<ClickEvent> events) {
        ShardMap map = ShardMap.of(kinesis.listShards(r -> r.streamName(stream)).shards());
        Map<String, List<UserRecord>> byShard = new LinkedHashMap<>();
        for (ClickEvent e : events) {
            byShard.computeIfAbsent(map.shardFor(e.userId()), s -> new ArrayList<>())
                    .add(UserRecord.of(e.userId(), CODEC.write(e)));
        }
        List<PutRecordsRequestEntry> entries = new ArrayList<>();
        byShard.values().forEach(records -> {
            for (AggregatedRecord a : Kpl.aggregate(records, AGGREGATE_BYTES)) {
                entries.add(entry(a.partitionKey(), a.data()));
            }
        });
        put(entries);
    }

    /** One record per event; safe while the stream is being resharded. */
    void plain(List<ClickEvent> events) {
        put(events.stream().map(e -> entry(e.userId(), CODEC.write(e))).toList());
    }

    /** Raw bytes under a partition key, as a misbehaving producer would write them. */
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
            List<PutRecordsRequestEntry> chunk = entries.subList(from, Math.min(entries.size(), from + 500));
            PutRecordsResponse response =
                    kinesis.putRecords(r -> r.streamName(stream).records(chunk));
            if (response.failedRecordCount() != null && response.failedRecordCount() > 0) {
                throw new IllegalStateException(response.failedRecordCount() + " records were not written: "
                        + response.records().stream()
                                .filter(r -> r.errorCode() != null)
                                .findFirst()
                                .map(r -> r.errorCode() + " " + r.errorMessage())
                                .orElse(""));
            }
        }
    }
}
