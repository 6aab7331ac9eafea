package dev.tideline.processor.rebuild;

import dev.tideline.model.shard.Position;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * What a rebuild covers: for each shard, the checkpoint the archiver had reached when the rebuild
 * began, or with {@code to}, the last record that arrived before it ({@link Handover}). The archive
 * holds each shard's records up to the archiver's checkpoint without a gap, so the rebuild folds
 * exactly those up to the plan's checkpoint, and the new generation's consumer starts each shard
 * right after it. Recorded with the generation being built, so that every attempt of one rebuild
 * covers the same.
 *
 * @param checkpoints per shard, a position or one of KCL's sentinels ({@link #SHARD_END},
 *     {@link #TRIM_HORIZON} and the other starting points)
 * @param from when set, only records that arrived at or after it are folded
 * @param to when set, the time the rebuild hands over to the stream at
 * @param since when set, when the stream was created: a record that arrived before then is an
 *     earlier stream's of the same name (deleted and created again since), whose shard ids are this
 *     one's but whose positions are not. Such records are folded whole, before this stream's, and
 *     none of their positions becomes a checkpoint or an item's mark.
 */
public record Plan(
        Map<String, Checkpoint> checkpoints, @Nullable Instant from, @Nullable Instant to, @Nullable Instant since) {

    private static final String FROM = "from=";
    private static final String TO = "to=";
    private static final String SINCE = "since=";

    public static final String SHARD_END = "SHARD_END";
    public static final String TRIM_HORIZON = "TRIM_HORIZON";

    public Plan {
        checkpoints = Map.copyOf(new TreeMap<>(checkpoints));
    }

    /** A plan of an archive that holds one stream's records. */
    public Plan(Map<String, Checkpoint> checkpoints, @Nullable Instant from, @Nullable Instant to) {
        this(checkpoints, from, to, null);
    }

    /** This plan with other checkpoints. */
    public Plan withCheckpoints(Map<String, Checkpoint> checkpoints) {
        return new Plan(checkpoints, from, to, since);
    }

    /** A shard's checkpoint: a position, or a sentinel with sub-sequence 0. */
    public record Checkpoint(String sequence, long subSequence) {

        /** True for a real position in the shard. */
        public boolean isPosition() {
            return !sequence.isEmpty() && Character.isDigit(sequence.charAt(0));
        }

        public Position position() {
            return Position.of(sequence, subSequence);
        }

        /** True when this is at or after {@code other}: the shard's end is after everything, its start before. */
        public boolean reached(Checkpoint other) {
            if (sequence.equals(SHARD_END)) {
                return true;
            }
            if (other.sequence.equals(SHARD_END) || !isPosition()) {
                return !other.isPosition() && !other.sequence.equals(SHARD_END);
            }
            return !other.isPosition() || !other.position().isAfter(position());
        }
    }

    /** Per shard with records to fold, the greatest {@link FoldSql} position to fold; {@code "~"} for all. */
    public Map<String, String> bounds() {
        Map<String, String> out = new LinkedHashMap<>();
        new TreeMap<>(checkpoints).forEach((shard, c) -> {
            if (c.sequence().equals(SHARD_END)) {
                out.put(shard, "~");
            } else if (c.isPosition()) {
                out.put(shard, FoldSql.pos(c.position()));
            }
        });
        return out;
    }

    public String encode() {
        StringJoiner out = new StringJoiner(",");
        new TreeMap<>(checkpoints).forEach((shard, c) -> out.add(shard + "=" + c.sequence() + "/" + c.subSequence()));
        return out
                + (from == null ? "" : ";" + FROM + from)
                + (to == null ? "" : ";" + TO + to)
                + (since == null ? "" : ";" + SINCE + since);
    }

    public static Plan decode(String plan) {
        String[] parts = plan.split(";", -1);
        String encoded = parts[0];
        Instant from = null;
        Instant to = null;
        Instant since = null;
        for (int i = 1; i < parts.length; i++) {
            if (parts[i].startsWith(FROM)) {
                from = Instant.parse(parts[i].substring(FROM.length()));
            } else if (parts[i].startsWith(TO)) {
                to = Instant.parse(parts[i].substring(TO.length()));
            } else if (parts[i].startsWith(SINCE)) {
                since = Instant.parse(parts[i].substring(SINCE.length()));
            } else {
                throw new IllegalArgumentException("not a rebuild plan's option: " + parts[i]);
            }
        }
        Map<String, Checkpoint> out = new LinkedHashMap<>();
        if (!encoded.isEmpty()) {
            for (String entry : encoded.split(",")) {
                int eq = entry.indexOf('=');
                int slash = entry.lastIndexOf('/');
                if (eq < 1 || slash < eq) {
                    throw new IllegalArgumentException("not a rebuild plan entry: " + entry);
                }
                out.put(
                        entry.substring(0, eq),
                        new Checkpoint(entry.substring(eq + 1, slash), Long.parseLong(entry.substring(slash + 1))));
            }
        }
        return new Plan(out, from, to, since);
    }
}
