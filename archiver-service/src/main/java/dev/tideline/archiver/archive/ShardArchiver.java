package dev.tideline.archiver.archive;

import dev.tideline.archiver.store.ArchiveObjects;
import dev.tideline.archiver.store.ArchiveUnavailableException;
import dev.tideline.model.event.ClickEventCodec;
import dev.tideline.model.retry.Backoff;
import dev.tideline.model.shard.Position;
import dev.tideline.model.shard.StreamRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Archives one shard exactly once. Records stream into a Parquet file on local disk; the file is
 * flushed to one object when it holds enough input bytes, when its oldest record is old enough, or
 * before a record of the next arrival hour. Objects follow each other without gap or overlap, each
 * starting right after the previous one's last record and named by its first; so after a restart,
 * the object named by the first record read, if it exists, says how far to skip.
 *
 * <p>An event whose {@code event_id} the shard archived within the dedupe window is a client's retry
 * and is left out of its object (it still counts towards the object's bounds, so that objects are
 * cut where they were before). The window is rebuilt from the shard's recent objects when the
 * shard is taken, so it survives restarts and lease moves, and it answers by arrival times, so a
 * rebuilt window decides as the original did. Not thread-safe.
 */
public final class ShardArchiver {

    private static final Logger log = LoggerFactory.getLogger(ShardArchiver.class);

    private final String shardId;
    private final ArchiveObjects objects;
    private final ArchiverSettings settings;
    private final ArchiverListener listener;
    private final Clock clock;
    private final ClickEventCodec codec = new ClickEventCodec();
    private final BooleanSupplier stopping;
    private @Nullable ObjectBuffer buffer;
    private @Nullable Position skipThrough;
    private @Nullable Position durable;
    private @Nullable DedupeWindow window;

    /** @param stopping true once the worker shuts down; ends waits on an unreachable bucket */
    public ShardArchiver(
            String shardId,
            ArchiveObjects objects,
            ArchiverSettings settings,
            ArchiverListener listener,
            Clock clock,
            BooleanSupplier stopping) {
        this.stopping = stopping;
        this.shardId = shardId;
        this.objects = objects;
        this.settings = settings;
        this.listener = listener;
        this.clock = clock;
    }

    /** The last record known to be in a durable object: where a checkpoint may go. */
    public Optional<Position> durable() {
        return Optional.ofNullable(durable);
    }

    /** Arrival time of the oldest record not yet in a durable object, if any is buffered. */
    public Optional<Instant> oldestPending() {
        return buffer == null ? Optional.empty() : Optional.of(buffer.firstArrival);
    }

    public long bufferedBytes() {
        return buffer == null ? 0 : buffer.bytes;
    }

    public void add(List<StreamRecord> records) {
        for (StreamRecord r : records) {
            Position at = r.position();
            if (skipThrough != null && at.compareTo(skipThrough) <= 0) {
                listener.replayed(shardId, 1);
                continue;
            }
            if (buffer != null && !buffer.hour.equals(r.arrivedAt().truncatedTo(ChronoUnit.HOURS))) {
                flush();
            }
            if (buffer == null) {
                String key = ArchiveObjects.eventsKey(r.arrivedAt(), shardId, at);
                Optional<Position> delivered = retrying(() -> objects.existing(key));
                if (delivered.isPresent()) {
                    skipThrough = delivered.get();
                    durable = skipThrough;
                    listener.replayed(shardId, 1);
                    continue;
                }
                if (window == null) {
                    window = rebuildWindow(at, r.arrivedAt());
                }
                buffer = new ObjectBuffer(shardId, at, r.arrivedAt(), settings, window, codec);
            }
            buffer.add(r);
            if (buffer.bytes >= settings.maxBytes()) {
                flush();
            }
        }
    }

    /** Flushes the buffer when its oldest record has waited the longest allowed. */
    public void tick() {
        if (buffer != null && !clock.instant().isBefore(buffer.firstArrival.plus(settings.maxAge()))) {
            flush();
        }
    }

    /** Makes every buffered record durable. */
    public void flush() {
        ObjectBuffer b = buffer;
        buffer = null;
        while (b != null) {
            b = upload(b);
        }
    }

    /**
     * Uploads one buffer; returns what is left to upload when another worker's object from the same
     * first record already holds a prefix of it. That happens when a lease moves while its old
     * owner still flushes: the old owner's object stands, and this one continues right after it,
     * as a replay would, so the objects still follow each other without gap or overlap.
     */
    private @Nullable ObjectBuffer upload(ObjectBuffer b) {
        b.file.close();
        try {
            for (Map.Entry<String, List<String>> errors : b.errors.entrySet()) {
                Path lines = settings.spool().resolve(UUID.randomUUID() + ".jsonl");
                Files.writeString(lines, String.join("\n", errors.getValue()) + "\n", StandardCharsets.UTF_8);
                try {
                    String key = ArchiveObjects.errorsKey(errors.getKey(), b.firstArrival, shardId, b.first);
                    int count = errors.getValue().size();
                    retrying(() -> objects.createIfAbsent(key, lines, "application/x-ndjson", b.last, count));
                } finally {
                    Files.deleteIfExists(lines);
                }
            }
            String key = ArchiveObjects.eventsKey(b.firstArrival, shardId, b.first);
            Optional<Position> existing = retrying(() -> objects.createIfAbsent(
                    key, b.file.path(), "application/vnd.apache.parquet", b.last, b.file.rows()));
            if (existing.isPresent() && existing.get().compareTo(b.last) < 0) {
                Position end = existing.get();
                log.info(
                        "Shard {}: another worker's object from {} ends at {}; archiving on from there",
                        shardId,
                        b.first,
                        end);
                ObjectBuffer rest = b.after(end);
                listener.replayed(shardId, b.records - (rest == null ? 0 : rest.records));
                durable = end;
                return rest;
            }
            if (existing.isPresent()) {
                listener.replayed(shardId, b.records);
            } else {
                listener.archived(shardId, b.file.rows(), b.bytes, b.file.size());
                if (b.retries > 0) {
                    listener.duplicates(shardId, b.retries);
                }
            }
            b.errors.forEach((reason, lines) -> listener.errors(shardId, reason, lines.size()));
            durable = b.last;
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            b.delete();
        }
    }

    /** Stopping was requested while the bucket could not be written: nothing after the checkpoint is durable. */
    public static final class AbandonedException extends RuntimeException {
        AbandonedException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Calls S3 until it answers: skipping a failed object would lose its records, since the next
     * object starts after them. Gives up only when the worker stops, without a checkpoint.
     */
    private <T> T retrying(Supplier<T> call) {
        Backoff.Attempts attempts = settings.backoff().attempts();
        while (true) {
            try {
                return call.get();
            } catch (ArchiveUnavailableException e) {
                listener.retry(shardId);
                if (stopping.getAsBoolean()) {
                    throw new AbandonedException("shard " + shardId + ": the bucket is unreachable while stopping", e);
                }
                Duration wait = attempts.next();
                log.warn(
                        "Shard {}: S3 call failed, trying again in {} ms: {}",
                        shardId,
                        wait.toMillis(),
                        e.getMessage());
                try {
                    Thread.sleep(wait.toMillis()); // backoff between attempts at an unreachable bucket
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new AbandonedException("shard " + shardId + ": interrupted", e);
                }
            }
        }
    }

    /** The window of ids this shard archived before {@code first}, read back from its recent objects. */
    private DedupeWindow rebuildWindow(Position first, Instant arrival) {
        Instant from = arrival.minus(settings.dedupeWindow());
        DedupeWindow w = retrying(() -> {
            DedupeWindow attempt = new DedupeWindow(settings.dedupeWindow(), settings.dedupeMaxIds());
            objects.archivedIds(shardId, from, arrival, first, settings.spool(), attempt::add);
            return attempt;
        });
        log.info(
                "Shard {}: {} event ids of the last {} read back from the archive",
                shardId,
                w.size(),
                settings.dedupeWindow());
        return w;
    }

    /** Discards what is buffered, as when the lease is lost; nothing of it was checkpointed. */
    public void discard() {
        ObjectBuffer b = buffer;
        buffer = null;
        window = null; // it holds the discarded records' ids; rebuilt from the archive when needed
        if (b != null) {
            b.file.close();
            b.delete();
        }
    }
}
