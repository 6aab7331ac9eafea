package dev.tideline.console.web;

import dev.tideline.console.collect.Durations;
import dev.tideline.console.collect.Snapshot;
import dev.tideline.console.collect.Snapshot.ConsumerView;
import dev.tideline.console.collect.Snapshot.ShardRow;
import org.jspecify.annotations.Nullable;

/** The snapshot as the terminal table {@code ./tideline status} prints: per consumer, per shard. */
public final class StatusTable {

    /** {@code true} when every consumer is within its threshold, owned and renewing. */
    public static final String HEALTHY_HEADER = "X-Tideline-Healthy";

    private StatusTable() {}

    public static String render(Snapshot s) {
        StringBuilder out = new StringBuilder();
        out.append("Tideline at ").append(s.takenAt()).append('\n');
        var stream = s.stream();
        if (stream.error() != null) {
            out.append("stream ")
                    .append(stream.name())
                    .append(": ")
                    .append(stream.error())
                    .append('\n');
        } else {
            out.append(String.format(
                    "stream %s: %d open shards, %s events/s, %s KB/s%n",
                    stream.name(),
                    stream.shards().stream().filter(x -> x.open()).count(),
                    number(stream.eventsPerSecond(), 1),
                    number(stream.bytesPerSecond() == null ? null : stream.bytesPerSecond() / 1024, 1)));
        }
        for (ConsumerView c : s.consumers()) {
            out.append('\n');
            out.append(String.format(
                    "%s (%s): %s %s, threshold %s: %s%n",
                    c.name(),
                    c.application(),
                    c.measure(),
                    Durations.text(c.valueMillis()),
                    Durations.text(c.thresholdMillis()),
                    c.healthy() ? "OK" : "ATTENTION"));
            out.append(String.format(
                    "  %-22s %-24s %-8s %14s %14s %8s%n",
                    "shard", "owner", "lease", "checkpoint age", "behind latest", "moves"));
            for (ShardRow r : c.shards()) {
                out.append(String.format(
                        "  %-22s %-24s %-8s %14s %14s %8d%n",
                        r.shardId(),
                        r.owner() == null ? "(none)" : truncate(r.owner(), 24),
                        r.owner() == null ? "-" : r.expired() ? "EXPIRED" : "renewed",
                        Durations.text(r.checkpointAgeMillis()),
                        Durations.text(r.millisBehindLatest()),
                        r.moves()));
            }
            for (String problem : c.problems()) {
                out.append("  ! ").append(problem).append('\n');
            }
        }
        out.append('\n').append(s.healthy() ? "Every consumer is within its threshold." : "Attention needed.");
        out.append('\n');
        return out.toString();
    }

    private static String number(@Nullable Double value, int decimals) {
        return value == null ? "-" : String.format("%." + decimals + "f", value);
    }

    private static String truncate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "~";
    }
}
