package dev.tideline.kcl;

import dev.tideline.model.shard.Position;
import dev.tideline.model.shard.StreamRecord;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
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
 * KCL's view of one shard, for every consumer: hands each batch to the consumer's {@link ShardSink}
 * and checkpoints only what the sink made durable, at most once per checkpoint interval. Never
 * throws: KCL would log the exception and go on to the next batch, skipping this one; a shard whose
 * sink failed takes nothing more until its lease moves, and is read again from its checkpoint.
 */
final class ShardConsumer implements ShardRecordProcessor {

    private static final Logger log = LoggerFactory.getLogger(ShardConsumer.class);
    static final String MDC_SHARD = "shard_id";
    static final String MDC_WORKER = "worker_id";

    private final Function<String, ShardSink> sinks;
    private final Duration checkpointInterval;
    private final Clock clock;
    private final String workerId;
    private String shardId = "?";
    private @Nullable ShardSink sink;
    private @Nullable Position checkpointed;
    private Instant lastCheckpoint = Instant.EPOCH;
    private boolean healthy = true;

    ShardConsumer(Function<String, ShardSink> sinks, Duration checkpointInterval, Clock clock, String workerId) {
        this.sinks = sinks;
        this.checkpointInterval = checkpointInterval;
        this.clock = clock;
        this.workerId = workerId;
    }

    @Override
    public void initialize(InitializationInput input) {
        shardId = input.shardId();
        inShard(() -> {
            try {
                sink = sinks.apply(shardId);
                log.info("Taking shard {} from checkpoint {}", shardId, input.extendedSequenceNumber());
            } catch (RuntimeException e) {
                healthy = false;
                log.error("Shard {}: could not be opened; it is read again when its lease moves", shardId, e);
            }
        });
    }

    @Override
    public void processRecords(ProcessRecordsInput input) {
        inShard(() -> process(input));
    }

    private void process(ProcessRecordsInput input) {
        ShardSink s = sink;
        if (!healthy || s == null) {
            return;
        }
        try {
            List<StreamRecord> records = new ArrayList<>(input.records().size());
            for (KinesisClientRecord r : input.records()) {
                records.add(toStreamRecord(r));
            }
            long behind = input.millisBehindLatest() == null ? 0 : input.millisBehindLatest();
            if (!s.accept(records, behind)) {
                stop(s, null);
                return;
            }
            if (!clock.instant().isBefore(lastCheckpoint.plus(checkpointInterval))) {
                checkpoint(input.checkpointer());
            }
        } catch (RuntimeException e) {
            stop(s, e);
        }
    }

    /** Takes nothing more from this shard here: KCL reads it again from its checkpoint elsewhere. */
    private void stop(ShardSink s, @Nullable RuntimeException cause) {
        healthy = false;
        try {
            s.discard();
        } catch (RuntimeException e) {
            log.warn("Shard {}: discarding what was not durable failed: {}", shardId, e.toString());
        }
        if (cause == null) {
            log.warn("Shard {} stops here; what was not checkpointed is read again when its lease moves", shardId);
        } else {
            log.error("Shard {}: a batch failed; the shard stops here until its lease moves", shardId, cause);
        }
    }

    private StreamRecord toStreamRecord(KinesisClientRecord r) {
        ByteBuffer data = r.data();
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        // Kinesis stamps every record; a record without a stamp is taken to arrive now.
        Instant arrived = r.approximateArrivalTimestamp() == null ? clock.instant() : r.approximateArrivalTimestamp();
        return new StreamRecord(
                Position.of(r.sequenceNumber(), r.subSequenceNumber()), r.partitionKey(), bytes, arrived);
    }

    private void checkpoint(RecordProcessorCheckpointer checkpointer) {
        ShardSink s = sink;
        Position at = s == null ? null : s.durable().orElse(null);
        if (at == null || at.equals(checkpointed)) {
            return;
        }
        try {
            checkpointer.checkpoint(at.sequenceNumber(), at.subSequence());
            checkpointed = at;
            lastCheckpoint = clock.instant();
        } catch (Exception e) {
            // What is durable stays so; a later checkpoint, or a replay the sink recognizes, catches up.
            log.warn("Shard {}: checkpoint at {} failed: {}", shardId, at, e.toString());
        }
    }

    @Override
    public void leaseLost(LeaseLostInput input) {
        inShard(() -> {
            ShardSink s = sink;
            if (s != null) {
                s.discard();
                s.close();
            }
            log.info("Lost the lease of shard {}", shardId);
        });
    }

    @Override
    public void shardEnded(ShardEndedInput input) {
        inShard(() -> {
            ShardSink s = sink;
            try {
                if (healthy && s != null && s.finish()) {
                    input.checkpointer().checkpoint();
                    log.info("Shard {} read to its end", shardId);
                } else {
                    log.warn("Shard {} ended, but not all of it is durable here; its end is not checkpointed", shardId);
                }
            } catch (Exception e) {
                log.warn("Shard {}: could not finish; it is read again from its checkpoint: {}", shardId, e.toString());
            } finally {
                if (s != null) {
                    s.close();
                }
            }
        });
    }

    @Override
    public void shutdownRequested(ShutdownRequestedInput input) {
        inShard(() -> {
            ShardSink s = sink;
            if (!healthy || s == null) {
                return;
            }
            try {
                s.flush();
                checkpoint(input.checkpointer());
            } catch (RuntimeException e) {
                log.warn(
                        "Shard {}: not flushed at shutdown; read again from its checkpoint: {}", shardId, e.toString());
            }
        });
    }

    /** Runs KCL's call with the shard and the worker in the log context. */
    private void inShard(Runnable call) {
        MDC.put(MDC_SHARD, shardId);
        MDC.put(MDC_WORKER, workerId);
        try {
            call.run();
        } finally {
            MDC.remove(MDC_SHARD);
            MDC.remove(MDC_WORKER);
        }
    }
}
