package dev.tideline.processor.consume;

import dev.tideline.model.shard.Position;
import dev.tideline.processor.apply.ShardApplier;
import dev.tideline.processor.apply.StreamRecord;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import software.amazon.kinesis.lifecycle.events.InitializationInput;
import software.amazon.kinesis.lifecycle.events.LeaseLostInput;
import software.amazon.kinesis.lifecycle.events.ProcessRecordsInput;
import software.amazon.kinesis.lifecycle.events.ShardEndedInput;
import software.amazon.kinesis.lifecycle.events.ShutdownRequestedInput;
import software.amazon.kinesis.processor.RecordProcessorCheckpointer;
import software.amazon.kinesis.processor.ShardRecordProcessor;
import software.amazon.kinesis.retrieval.KinesisClientRecord;

/**
 * KCL's view of one shard: hands each batch to a {@link ShardApplier} and checkpoints only what it
 * made durable. Never throws: KCL would log the exception and go on to the next batch, skipping this
 * one, so every failure is handled here.
 */
final class ShardProcessor implements ShardRecordProcessor {

    private static final Logger log = LoggerFactory.getLogger(ShardProcessor.class);
    private static final String MDC_SHARD = "shard";

    private final ShardContext context;
    private final Clock clock;
    private String shardId = "?";
    private @Nullable ShardApplier applier;
    private @Nullable Position checkpointed;
    private Instant lastCheckpoint = Instant.EPOCH;
    private boolean healthy = true;

    ShardProcessor(ShardContext context, Clock clock) {
        this.context = context;
        this.clock = clock;
    }

    @Override
    public void initialize(InitializationInput input) {
        shardId = input.shardId();
        MDC.put(MDC_SHARD, shardId);
        try {
            applier = context.applier(shardId);
            log.info("Taking shard {} from checkpoint {}", shardId, input.extendedSequenceNumber());
        } finally {
            MDC.remove(MDC_SHARD);
        }
    }

    @Override
    public void processRecords(ProcessRecordsInput input) {
        MDC.put(MDC_SHARD, shardId);
        try {
            if (!healthy) {
                return; // fenced, abandoned or failed: nothing more is applied or checkpointed here
            }
            List<KinesisClientRecord> records = input.records();
            long behind = input.millisBehindLatest() == null ? 0 : input.millisBehindLatest();
            if (records.isEmpty()) {
                context.metrics().lag(shardId, behind, behind);
                return;
            }
            ShardApplier a = applier();
            long started = System.nanoTime();
            List<StreamRecord> batch = new ArrayList<>(records.size());
            for (KinesisClientRecord r : records) {
                batch.add(toStreamRecord(r));
            }
            ShardApplier.Outcome outcome = a.apply(batch);
            context.metrics().batch().record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
            context.metrics().batchWrites(a.writesInLastBatch());
            Instant newest = records.get(records.size() - 1).approximateArrivalTimestamp();
            long age = newest == null ? behind : Math.max(0, clock.millis() - newest.toEpochMilli());
            context.metrics().lag(shardId, behind, age);
            healthy = outcome == ShardApplier.Outcome.APPLIED;
            if (healthy && clock.instant().isAfter(lastCheckpoint.plus(context.checkpointInterval()))) {
                checkpoint(input.checkpointer());
            }
        } catch (RuntimeException e) {
            // Unexpected: stop taking this shard's batches rather than skip one.
            healthy = false;
            log.error("Shard {}: a batch could not be applied; the shard stops here until its lease moves", shardId, e);
        } finally {
            MDC.remove(MDC_SHARD);
        }
    }

    private ShardApplier applier() {
        if (applier == null) {
            throw new IllegalStateException("shard " + shardId + " was not initialized");
        }
        return applier;
    }

    private static StreamRecord toStreamRecord(KinesisClientRecord r) {
        ByteBuffer data = r.data();
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        Instant arrived = r.approximateArrivalTimestamp() == null ? Instant.EPOCH : r.approximateArrivalTimestamp();
        return new StreamRecord(
                Position.of(r.sequenceNumber(), r.subSequenceNumber()), r.partitionKey(), bytes, arrived);
    }

    private void checkpoint(RecordProcessorCheckpointer checkpointer) {
        Position at = applier == null ? null : applier.marker();
        if (at == null || at.equals(checkpointed)) {
            return;
        }
        try {
            checkpointer.checkpoint(at.sequenceNumber(), at.subSequence());
            checkpointed = at;
            lastCheckpoint = clock.instant();
        } catch (Exception e) {
            // The items' marks keep the progress; a later checkpoint, or a replay, catches up.
            log.warn("Shard {}: checkpoint at {} failed: {}", shardId, at, e.toString());
        }
    }

    @Override
    public void leaseLost(LeaseLostInput input) {
        log.info("Lost the lease of shard {}", shardId);
        context.metrics().forget(shardId);
    }

    @Override
    public void shardEnded(ShardEndedInput input) {
        MDC.put(MDC_SHARD, shardId);
        try {
            if (!healthy || applier == null || applier.fenced()) {
                log.warn("Shard {} ended, but not every record was applied here; not checkpointing its end", shardId);
                return;
            }
            context.store().shardEnded(shardId);
            input.checkpointer().checkpoint();
            log.info("Shard {} read to its end", shardId);
        } catch (Exception e) {
            log.warn(
                    "Shard {}: could not record its end; it is read again from the checkpoint: {}",
                    shardId,
                    e.toString());
        } finally {
            context.metrics().forget(shardId);
            MDC.remove(MDC_SHARD);
        }
    }

    @Override
    public void shutdownRequested(ShutdownRequestedInput input) {
        MDC.put(MDC_SHARD, shardId);
        try {
            if (healthy) {
                checkpoint(input.checkpointer());
            }
        } finally {
            MDC.remove(MDC_SHARD);
        }
    }
}
