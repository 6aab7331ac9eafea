package dev.tideline.archiver.consume;

import dev.tideline.archiver.archive.ArchiverSettings;
import dev.tideline.archiver.archive.ShardArchiver;
import dev.tideline.archiver.store.ArchiveObjects;
import dev.tideline.kcl.ShardSink;
import dev.tideline.kcl.ShardSinks;
import dev.tideline.model.shard.Position;
import dev.tideline.model.shard.StreamRecord;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The archiver's side of a shard: records buffered by a {@link ShardArchiver} into objects, which
 * are durable once uploaded. Takes empty batches too, so that a quiet shard's buffer is flushed
 * when it is old enough.
 */
public final class ArchiverSink implements ShardSink {

    private static final Logger log = LoggerFactory.getLogger(ArchiverSink.class);

    private final String shardId;
    private final ShardArchiver archiver;
    private final ArchiverMetrics metrics;

    ArchiverSink(String shardId, ShardArchiver archiver, ArchiverMetrics metrics) {
        this.shardId = shardId;
        this.archiver = archiver;
        this.metrics = metrics;
    }

    /** A sink per shard, each with its own archiver over the one bucket. */
    public static ShardSinks sinks(
            ArchiveObjects objects, ArchiverSettings settings, ArchiverMetrics metrics, Clock clock) {
        return (shardId, stopping) -> new ArchiverSink(
                shardId, new ShardArchiver(shardId, objects, settings, metrics, clock, stopping), metrics);
    }

    @Override
    public boolean accept(List<StreamRecord> records, long millisBehindLatest) {
        metrics.read(shardId, records, millisBehindLatest);
        try {
            archiver.add(records);
            archiver.tick();
            return true;
        } catch (ShardArchiver.AbandonedException e) {
            log.warn("Shard {}: {}", shardId, e.getMessage());
            return false;
        } finally {
            reportPending();
        }
    }

    @Override
    public Optional<Position> durable() {
        return archiver.durable();
    }

    @Override
    public void flush() {
        archiver.flush();
        reportPending();
    }

    @Override
    public boolean finish() {
        flush();
        return true;
    }

    @Override
    public void discard() {
        archiver.discard();
        reportPending();
    }

    @Override
    public void close() {
        metrics.forget(shardId);
    }

    private void reportPending() {
        metrics.pending(shardId, archiver.oldestPending().orElse(null), archiver.bufferedBytes());
    }
}
