package dev.tideline.processor.store;

import dev.tideline.processor.rebuild.Plan;
import dev.tideline.processor.rebuild.StreamPositions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.model.InvalidArgumentException;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * Asks the stream for an iterator after each planned position, as the new generation's consumer
 * will: Kinesis refuses a sequence number that is not its shard's ({@code InvalidArgumentException};
 * the embedded Kinesis answers {@code ResourceNotFoundException}).
 */
public final class KinesisStreamPositions implements StreamPositions {

    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

    private final KinesisAsyncClient kinesis;
    private final String stream;

    public KinesisStreamPositions(KinesisAsyncClient kinesis, String stream) {
        this.kinesis = kinesis;
        this.stream = stream;
    }

    @Override
    public List<String> missing(Plan plan) {
        List<String> out = new ArrayList<>();
        plan.checkpoints().forEach((shard, checkpoint) -> {
            if (checkpoint.isPosition() && !holds(shard, checkpoint)) {
                out.add(shard);
            }
        });
        return out;
    }

    private boolean holds(String shard, Plan.Checkpoint checkpoint) {
        try {
            kinesis.getShardIterator(r -> r.streamName(stream)
                            .shardId(shard)
                            .shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER)
                            .startingSequenceNumber(checkpoint.sequence()))
                    .get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (ExecutionException | CompletionException e) {
            if (e.getCause() instanceof InvalidArgumentException || e.getCause() instanceof ResourceNotFoundException) {
                return false;
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
