package dev.tideline.console.collect;

import dev.tideline.model.event.ClickEvent;
import dev.tideline.model.event.ClickEventCodec;
import dev.tideline.model.kpl.Kpl;
import dev.tideline.model.kpl.UserRecord;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ExpiredIteratorException;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.InvalidArgumentException;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * The newest events on the stream, read from its tip on every open shard (one {@code GetRecords}
 * per shard per refresh), and how many records and bytes arrived since the last read. Not a
 * consumer: it keeps no lease and no checkpoint, and starts at the tip each time the console starts.
 */
public final class Tail {

    /** An event as the tail shows it; {@code eventType} is {@code undecodable} for a record that is not one. */
    public record TailEvent(
            Instant arrivedAt,
            String shardId,
            String userId,
            String eventType,
            @Nullable String page,
            @Nullable String eventId,
            boolean bot) {}

    /** What one read found: user records (events) and bytes, over every shard. */
    public record Read(long events, long bytes) {}

    private final KinesisClient kinesis;
    private final String stream;
    private final int keep;
    private final ClickEventCodec codec = new ClickEventCodec();
    private final Map<String, String> iterators = new HashMap<>();
    private final Deque<Raw> newest = new ArrayDeque<>();

    /** A user record as read, decoded only when shown. */
    private record Raw(Instant arrivedAt, String shardId, UserRecord record) {}

    public Tail(KinesisClient kinesis, String stream, int keep) {
        this.kinesis = kinesis;
        this.stream = stream;
        this.keep = keep;
    }

    /** Reads what arrived on each of {@code openShards} since the last call. */
    public synchronized Read read(Collection<String> openShards) {
        iterators.keySet().retainAll(openShards);
        long events = 0;
        long bytes = 0;
        for (String shardId : openShards) {
            String iterator = iterators.computeIfAbsent(shardId, this::latest);
            GetRecordsResponse page;
            try {
                page = kinesis.getRecords(b -> b.shardIterator(iterator).limit(1_000));
            } catch (ExpiredIteratorException | ResourceNotFoundException | InvalidArgumentException e) {
                // Expired, or a position of a stream of this name deleted and created again since
                // (the embedded Kinesis answers ResourceNotFoundException): the next read starts at the tip.
                iterators.remove(shardId);
                continue;
            }
            if (page.nextShardIterator() == null) {
                iterators.remove(shardId);
            } else {
                iterators.put(shardId, page.nextShardIterator());
            }
            for (Record r : page.records()) {
                byte[] data = r.data().asByteArrayUnsafe();
                bytes += data.length;
                for (UserRecord u : Kpl.deaggregate(r.partitionKey(), data)) {
                    events++;
                    remember(new Raw(r.approximateArrivalTimestamp(), shardId, u));
                }
            }
        }
        return new Read(events, bytes);
    }

    /**
     * The newest events first, of one user or of all (null). A user's events are found by their
     * partition key, which is the {@code user_id}; only what is returned is decoded.
     */
    public List<TailEvent> newest(@Nullable String userId, int limit) {
        List<Raw> found;
        synchronized (this) {
            found = newest.stream()
                    .filter(e -> userId == null || userId.equals(e.record().partitionKey()))
                    .limit(limit)
                    .toList();
        }
        return found.stream().map(this::event).toList();
    }

    private String latest(String shardId) {
        return kinesis.getShardIterator(
                        b -> b.streamName(stream).shardId(shardId).shardIteratorType(ShardIteratorType.LATEST))
                .shardIterator();
    }

    private void remember(Raw event) {
        newest.addFirst(event);
        while (newest.size() > keep) {
            newest.removeLast();
        }
    }

    private TailEvent event(Raw raw) {
        UserRecord record = raw.record();
        try {
            ClickEvent e = codec.readStored(record.data());
            return new TailEvent(
                    raw.arrivedAt(),
                    raw.shardId(),
                    e.userId(),
                    e.eventType(),
                    e.page(),
                    e.eventId(),
                    e.context() != null && e.context().bot());
        } catch (RuntimeException e) {
            return new TailEvent(
                    raw.arrivedAt(), raw.shardId(), record.partitionKey(), "undecodable", null, null, false);
        }
    }
}
