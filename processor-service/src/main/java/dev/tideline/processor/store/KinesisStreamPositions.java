package dev.tideline.processor.store;

import dev.tideline.model.shard.EarlierStream;
import dev.tideline.processor.rebuild.Plan;
import dev.tideline.processor.rebuild.StreamPositions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.InvalidArgumentException;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * Asks the stream for an iterator after each planned position, as the new generation's consumer
 * will: Kinesis refuses a sequence number that is not its shard's ({@code InvalidArgumentException};
 * the embedded Kinesis answers {@code ResourceNotFoundException}); lists its shards, to tell an
 * earlier stream's checkpoints ({@link EarlierStream}); and reads the first record after one.
 */
public final class KinesisStreamPositions implements StreamPositions {

    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

    /** GetRecords calls at most before a shard is taken to hold nothing after a position. */
    private static final int MAX_READS = 20;

    private final KinesisAsyncClient kinesis;
    private final String stream;

    public KinesisStreamPositions(KinesisAsyncClient kinesis, String stream) {
        this.kinesis = kinesis;
        this.stream = stream;
    }

    @Override
    public List<String> missing(Plan plan) {
        Map<String, Shard> shards = listShards();
        List<String> out = new ArrayList<>();
        plan.checkpoints().forEach((shard, checkpoint) -> {
            Shard listed = shards.get(shard);
            boolean earlier = listed != null
                    && EarlierStream.checkpoint(
                            listed.sequenceNumberRange().endingSequenceNumber() == null,
                            listed.sequenceNumberRange().startingSequenceNumber(),
                            checkpoint.sequence());
            if (earlier || checkpoint.isPosition() && iterator(shard, checkpoint) == null) {
                out.add(shard);
            }
        });
        return out;
    }

    @Override
    public Set<String> shards() {
        return listShards().keySet();
    }

    /** The stream's shards, open and closed, by id. */
    private Map<String, Shard> listShards() {
        Map<String, Shard> out = new TreeMap<>();
        String next = null;
        do {
            String token = next;
            var page = call(
                    "its shards",
                    () -> kinesis.listShards(r -> {
                        if (token == null) {
                            r.streamName(stream);
                        } else {
                            r.nextToken(token);
                        }
                    }));
            if (page == null) {
                throw new IllegalStateException("the stream " + stream + " does not exist");
            }
            page.shards().forEach(s -> out.put(s.shardId(), s));
            next = page.nextToken();
        } while (next != null);
        return out;
    }

    @Override
    public @Nullable String firstAfter(String shard, Plan.Checkpoint after) {
        String iterator = iterator(shard, after);
        // A shard can answer empty pages before a record (Kinesis reads it in spans); it holds
        // nothing more once it says it is not behind, or has no next page.
        for (int read = 0; iterator != null && read < MAX_READS; read++) {
            String page = iterator;
            GetRecordsResponse records = call(
                    shard, () -> kinesis.getRecords(r -> r.shardIterator(page).limit(1)));
            if (records == null) {
                return null;
            }
            if (!records.records().isEmpty()) {
                return records.records().get(0).sequenceNumber();
            }
            Long behind = records.millisBehindLatest();
            iterator = behind != null && behind == 0 ? null : records.nextShardIterator();
        }
        return null;
    }

    @Override
    public Instant created() {
        var summary = call("its summary", () -> kinesis.describeStreamSummary(r -> r.streamName(stream)));
        if (summary == null) {
            throw new IllegalStateException("the stream " + stream + " does not exist");
        }
        return summary.streamDescriptionSummary().streamCreationTimestamp();
    }

    /** An iterator right after {@code after}, or at the shard's start; null when the shard does not have it. */
    private @Nullable String iterator(String shard, Plan.Checkpoint after) {
        var response = call(
                shard,
                () -> kinesis.getShardIterator(r -> {
                    r.streamName(stream).shardId(shard);
                    if (after.isPosition()) {
                        r.shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER)
                                .startingSequenceNumber(after.sequence());
                    } else {
                        r.shardIteratorType(ShardIteratorType.TRIM_HORIZON);
                    }
                }));
        return response == null ? null : response.shardIterator();
    }

    /** The call's answer; null when the stream says it has no such position or shard. */
    private <T> @Nullable T call(String shard, Supplier<CompletableFuture<T>> call) {
        try {
            return call.get().get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | CompletionException e) {
            if (e.getCause() instanceof InvalidArgumentException || e.getCause() instanceof ResourceNotFoundException) {
                return null;
            }
            throw new IllegalStateException(
                    "the stream " + stream + " cannot be asked for " + shard + ": " + e.getCause(), e);
        } catch (TimeoutException e) {
            throw new IllegalStateException(
                    "the stream " + stream + " did not answer for " + shard + " in " + CALL_TIMEOUT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
