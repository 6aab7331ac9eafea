package dev.tideline.archiver.archive;

import dev.tideline.archiver.parquet.ArchivedRecord;
import dev.tideline.archiver.parquet.ParquetFile;
import dev.tideline.model.archive.ArchiveSchema;
import dev.tideline.model.event.ClickEventCodec;
import dev.tideline.model.event.Decoded;
import dev.tideline.model.shard.Position;
import dev.tideline.model.shard.StreamRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * The run of one shard's records that becomes its next object: events in a Parquet file on local
 * disk, error lines by reason, and every record's position in order. Records that are clients'
 * retries are left out of the file but still counted, so that objects are cut where they would be
 * without them. Not thread-safe.
 */
final class ObjectBuffer {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    final String shardId;
    final Position first;
    final Instant firstArrival;
    final Instant hour;
    final ParquetFile file;
    final Map<String, List<String>> errors = new LinkedHashMap<>();
    private final Map<String, List<Position>> errorPositions = new LinkedHashMap<>();
    private final ArchiverSettings settings;
    private final DedupeWindow window;
    private final ClickEventCodec codec;
    // Every record's position in order, and which were retries: what is left after another
    // worker's object can then be told apart (see after()).
    private final List<Position> positions = new ArrayList<>();
    private final BitSet retried = new BitSet();
    private final List<Long> sizes = new ArrayList<>();
    Position last;
    long bytes;
    int records;
    int retries;

    ObjectBuffer(
            String shardId,
            Position first,
            Instant arrival,
            ArchiverSettings settings,
            DedupeWindow window,
            ClickEventCodec codec) {
        this.shardId = shardId;
        this.first = first;
        this.last = first;
        this.firstArrival = arrival;
        this.hour = arrival.truncatedTo(ChronoUnit.HOURS);
        this.settings = settings;
        this.window = window;
        this.codec = codec;
        this.file = ParquetFile.create(
                settings.spool().resolve(shardId + "-" + UUID.randomUUID() + ".parquet"),
                settings.codec(),
                settings.memory());
    }

    void add(StreamRecord r) {
        Decoded decoded = Decoded.of(r, codec);
        if (decoded instanceof Decoded.Event e) {
            if (window.contains(e.event().eventId(), r.arrivedAt())) {
                retries++;
                retried.set(records);
            } else {
                file.write(new ArchivedRecord(
                        e.event(),
                        shardId,
                        r.position().sequenceNumber(),
                        r.position().subSequence(),
                        r.arrivedAt()));
                window.add(e.event().eventId(), r.arrivedAt());
            }
        } else {
            Decoded.Poison p = (Decoded.Poison) decoded;
            errors.computeIfAbsent(p.reason(), k -> new ArrayList<>()).add(errorLine(r, p.reason(), p.message()));
            errorPositions.computeIfAbsent(p.reason(), k -> new ArrayList<>()).add(r.position());
        }
        last = r.position();
        bytes += r.data().length;
        positions.add(r.position());
        sizes.add((long) r.data().length);
        records++;
    }

    /**
     * A buffer of this one's records after {@code end}, starting at the first of them, as a replay
     * from {@code end} would buffer them; null when there are none. Rows are copied from this
     * buffer's finished file. Error lines after {@code end} go with them; if this buffer's own errors
     * object was written before the other worker's object was found, those lines are in both (the
     * one case where an error line is kept twice).
     */
    @Nullable
    ObjectBuffer after(Position end) {
        int from = 0;
        while (from < positions.size() && !positions.get(from).isAfter(end)) {
            from++;
        }
        if (from == positions.size()) {
            return null;
        }
        ObjectBuffer rest = new ObjectBuffer(shardId, positions.get(from), firstArrival, settings, window, codec);
        ParquetFile.readRows(file.path(), row -> {
            Position at = Position.of(row.get(ArchiveSchema.SEQUENCE_NUMBER).toString(), (Long)
                    row.get(ArchiveSchema.SUB_SEQUENCE_NUMBER));
            if (at.isAfter(end)) {
                rest.file.writeRow(row);
            }
        });
        errors.forEach((reason, lines) -> {
            List<Position> at = errorPositions.get(reason);
            for (int i = 0; i < lines.size(); i++) {
                if (at.get(i).isAfter(end)) {
                    rest.errors.computeIfAbsent(reason, k -> new ArrayList<>()).add(lines.get(i));
                    rest.errorPositions
                            .computeIfAbsent(reason, k -> new ArrayList<>())
                            .add(at.get(i));
                }
            }
        });
        for (int i = from; i < positions.size(); i++) {
            rest.positions.add(positions.get(i));
            rest.sizes.add(sizes.get(i));
            rest.bytes += sizes.get(i);
            if (retried.get(i)) {
                rest.retried.set(rest.records);
                rest.retries++;
            }
            rest.records++;
        }
        rest.last = last;
        return rest;
    }

    /** Deletes the local file, closed by then; only disk space is lost if that fails. */
    void delete() {
        try {
            Files.deleteIfExists(file.path());
        } catch (IOException e) {
            // a spool file left behind is only disk space
        }
    }

    private String errorLine(StreamRecord r, String reason, String message) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("reason", reason);
        line.put("message", message);
        line.put("shard_id", shardId);
        line.put("sequence_number", r.position().sequenceNumber());
        line.put("sub_sequence_number", r.position().subSequence());
        line.put("arrival_time", r.arrivedAt().toString());
        line.put("partition_key", r.partitionKey());
        line.put("data_base64", Base64.getEncoder().encodeToString(r.data()));
        return JSON.writeValueAsString(line);
    }
}
