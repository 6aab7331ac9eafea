package dev.tideline.archiver.consume;

import dev.tideline.archiver.archive.ShardArchiver;
import dev.tideline.model.shard.Position;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
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
 * KCL's view of one shard of the archive: feeds a {@link ShardArchiver} and checkpoints only at the
 * end of a durable object. Called for empty batches too, so that age-based flushes happen while
 * the shard is quiet. Never throws into KCL, which would skip the batch.
 */
final class ShardArchiverProcessor implements ShardRecordProcessor {

    private static final Logger log = LoggerFactory.getLogger(ShardArchiverProcessor.class);

    private final Function<String, ShardArchiver> archivers;
    private final ArchiverMetrics metrics;
    private final FaultHook fault;
    private String shardId = "?";
    private @Nullable ShardArchiver archiver;
    private @Nullable Position checkpointed;
    private boolean healthy = true;

    ShardArchiverProcessor(Function<String, ShardArchiver> archivers, ArchiverMetrics metrics, FaultHook fault) {
        this.archivers = archivers;
        this.metrics = metrics;
        this.fault = fault;
    }

    @Override
    public void initialize(InitializationInput input) {
        shardId = input.shardId();
        archiver = archivers.apply(shardId);
        log.info("Archiving shard {} from checkpoint {}", shardId, input.extendedSequenceNumber());
    }

    @Override
    public void processRecords(ProcessRecordsInput input) {
        ShardArchiver a = archiver;
        if (!healthy || a == null) {
            return;
        }
        MDC.put("shard", shardId);
        try {
            List<ShardArchiver.Incoming> records =
                    new ArrayList<>(input.records().size());
            for (KinesisClientRecord r : input.records()) {
                ByteBuffer data = r.data();
                byte[] bytes = new byte[data.remaining()];
                data.get(bytes);
                Instant arrival =
                        r.approximateArrivalTimestamp() == null ? Instant.now() : r.approximateArrivalTimestamp();
                records.add(new ShardArchiver.Incoming(r.sequenceNumber(), r.subSequenceNumber(), bytes, arrival));
            }
            a.add(records);
            a.tick();
            checkpoint(input.checkpointer());
        } catch (RuntimeException e) {
            // Fenced, abandoned, or a bug: stop here without a checkpoint; the records are read again.
            healthy = false;
            a.discard();
            log.warn("Shard {} stops archiving here: {}", shardId, e.toString());
        } finally {
            metrics.pending(shardId, a.oldestPending().orElse(null), a.bufferedBytes());
            MDC.remove("shard");
        }
    }

    private void checkpoint(RecordProcessorCheckpointer checkpointer) {
        ShardArchiver a = archiver;
        if (a == null) {
            return;
        }
        a.durable().ifPresent(at -> {
            if (at.equals(checkpointed)) {
                return;
            }
            fault.beforeCheckpoint();
            try {
                checkpointer.checkpoint(at.sequenceNumber(), at.subSequence());
                checkpointed = at;
            } catch (Exception e) {
                log.warn("Shard {}: checkpoint at {} failed: {}", shardId, at, e.toString());
            }
        });
    }

    @Override
    public void leaseLost(LeaseLostInput input) {
        if (archiver != null) {
            archiver.discard();
        }
        metrics.forget(shardId);
        log.info("Lost the lease of shard {}", shardId);
    }

    @Override
    public void shardEnded(ShardEndedInput input) {
        try {
            if (healthy && archiver != null) {
                archiver.flush();
                input.checkpointer().checkpoint();
                log.info("Shard {} archived to its end", shardId);
            }
        } catch (Exception e) {
            log.warn("Shard {}: could not finish; it is read again from its checkpoint: {}", shardId, e.toString());
        } finally {
            metrics.forget(shardId);
        }
    }

    @Override
    public void shutdownRequested(ShutdownRequestedInput input) {
        try {
            if (healthy && archiver != null) {
                archiver.flush();
                checkpoint(input.checkpointer());
            }
        } catch (RuntimeException e) {
            log.warn("Shard {}: buffered records not flushed at shutdown; read again later: {}", shardId, e.toString());
        }
    }
}
