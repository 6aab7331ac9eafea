package dev.tideline.localaws.junit;

import dev.tideline.model.event.ClickEvent;
import dev.tideline.model.event.ClickEventCodec;
import dev.tideline.model.kpl.AggregatedRecord;
import dev.tideline.model.kpl.Kpl;
import dev.tideline.model.kpl.UserRecord;
import dev.tideline.model.shard.ShardMap;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;

/**
 * Writes to a test's stream as the ingest service does: KPL aggregates grouped by the shard each
 * user maps to, or one record per event, or raw bytes. Calls go one after another, at most 500
 * records and 1 MiB each, and any failed record throws, so each user's records are on the stream in
 * the order given.
 */
public final class StreamFeeder {

    private static final ClickEventCodec CODEC = new ClickEventCodec();
    private static final int AGGREGATE_BYTES = 50 * 1024;
    private static final int PUT_RECORDS_LIMIT = 500;
    /**
     * Bytes per call. Kinesis takes five times as much, but kinesis-mock slows down more than in
     * proportion to a call's size: 16,000 events took 2.3 to 4.4 s as one call of 5 MiB, 0.8 to 1.1 s
     * as 1 MiB calls. On a loaded machine the 5 MiB call outlasted the client's timeout four times
     * running, each retry adding the whole call to kinesis-mock's work again.
     */
    private static final int PUT_RECORDS_BYTES = 1024 * 1024;

    private final KinesisClient kinesis;
    private final String stream;

    public StreamFeeder(KinesisClient kinesis, String stream) {
        this.kinesis = kinesis;
        this.stream = stream;
    }

    /** Events as KPL aggregates of up to 50 KiB, each holding users of one shard of the current map. */
    public void aggregated(List<ClickEvent> events) {
        aggregate(
                events.stream()
                        .map(e -> UserRecord.of(e.userId(), CODEC.write(e)))
                        .toList(),
                AGGREGATE_BYTES);
    }

    /**
     * User records as KPL aggregates of at most {@code aggregateBytes}, each holding users of one
     * shard of the current shard map.
     *
     * @return the Kinesis records written
     */
    public int aggregate(List<UserRecord> records, int aggregateBytes) {
        ShardMap map = ShardMap.of(kinesis.listShards(r -> r.streamName(stream)).shards());
        Map<String, List<UserRecord>> byShard = new LinkedHashMap<>();
        for (UserRecord r : records) {
            byShard.computeIfAbsent(map.shardFor(r.partitionKey()), s -> new ArrayList<>())
                    .add(r);
        }
        List<PutRecordsRequestEntry> entries = new ArrayList<>();
        byShard.values().forEach(shardRecords -> {
            for (AggregatedRecord a : Kpl.aggregate(shardRecords, aggregateBytes)) {
                entries.add(entry(a.partitionKey(), a.data()));
            }
        });
        put(entries);
        return entries.size();
    }

    /** One record per event; safe while the stream is being resharded. */
    public void plain(List<ClickEvent> events) {
        put(events.stream().map(e -> entry(e.userId(), CODEC.write(e))).toList());
    }

    /** Raw bytes under a partition key, as a misbehaving producer would write them. */
    public void raw(String partitionKey, byte[] data) {
        put(List.of(entry(partitionKey, data)));
    }

    /** The entries, in order; returns where each one landed. */
    public List<PutRecordsResultEntry> put(List<PutRecordsRequestEntry> entries) {
        List<PutRecordsResultEntry> results = new ArrayList<>(entries.size());
        int from = 0;
        while (from < entries.size()) {
            int to = from + 1;
            long bytes = size(entries.get(from));
            while (to < entries.size() && to - from < PUT_RECORDS_LIMIT) {
                long next = size(entries.get(to));
                if (bytes + next > PUT_RECORDS_BYTES) {
                    break;
                }
                bytes += next;
                to++;
            }
            List<PutRecordsRequestEntry> chunk = entries.subList(from, to);
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
            results.addAll(response.records());
            from = to;
        }
        return results;
    }

    /** What an entry counts against a call's limit: its data and its partition key. */
    private static long size(PutRecordsRequestEntry e) {
        return e.data().asByteBuffer().remaining() + e.partitionKey().getBytes(StandardCharsets.UTF_8).length;
    }

    private static PutRecordsRequestEntry entry(String partitionKey, byte[] data) {
        return PutRecordsRequestEntry.builder()
                .partitionKey(partitionKey)
                .data(SdkBytes.fromByteArray(data))
                .build();
    }
}
