package dev.tideline.ingest.publish;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;
import software.amazon.awssdk.services.kinesis.model.Shard;

/** {@link StreamGateway} over the SDK's asynchronous Kinesis client. */
public final class KinesisStreamGateway implements StreamGateway {

    private final KinesisAsyncClient kinesis;
    private final String stream;

    public KinesisStreamGateway(KinesisAsyncClient kinesis, String stream) {
        this.kinesis = kinesis;
        this.stream = stream;
    }

    @Override
    public CompletableFuture<List<Shard>> listShards() {
        return listFrom(null, new ArrayList<>());
    }

    private CompletableFuture<List<Shard>> listFrom(String token, List<Shard> acc) {
        return kinesis.listShards(r -> {
                    if (token == null) {
                        r.streamName(stream);
                    } else {
                        r.nextToken(token);
                    }
                })
                .thenCompose(response -> {
                    acc.addAll(response.shards());
                    return response.nextToken() == null
                            ? CompletableFuture.completedFuture(acc)
                            : listFrom(response.nextToken(), acc);
                });
    }

    @Override
    public CompletableFuture<List<PutOutcome>> putRecords(List<Entry> entries) {
        List<PutRecordsRequestEntry> records = entries.stream()
                .map(e -> PutRecordsRequestEntry.builder()
                        .partitionKey(e.partitionKey())
                        .data(SdkBytes.fromByteArrayUnsafe(e.data()))
                        .build())
                .toList();
        return kinesis.putRecords(r -> r.streamName(stream).records(records))
                .thenApply(response -> response.records().stream()
                        .map(KinesisStreamGateway::outcome)
                        .toList());
    }

    private static PutOutcome outcome(PutRecordsResultEntry r) {
        return r.errorCode() == null
                ? PutOutcome.ok(r.shardId(), r.sequenceNumber())
                : PutOutcome.failed(r.errorCode(), r.errorMessage());
    }
}
