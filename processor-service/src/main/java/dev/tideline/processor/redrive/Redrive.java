package dev.tideline.processor.redrive;

import dev.tideline.model.event.ClickEvent;
import dev.tideline.model.event.ClickEventCodec;
import dev.tideline.model.event.Decoded;
import dev.tideline.model.shard.StreamRecord;
import dev.tideline.processor.apply.DeadLetter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Re-applies the dead letters that read as events now: each is published to the stream again in the
 * contract's form, under its user's id as partition key, and its dead letter removed. Both consumers
 * then take it as a new record: the processor counts it, the archiver archives it. A dead letter is
 * claimed before it is published; a redrive cut short between publishing and removing publishes it
 * again when run again, and the event id makes the second one a duplicate to both consumers, for as
 * long as their windows remember it. A claim older than that window is left for an operator, unless
 * forced. Records still bad stay where they are, counted by reason.
 */
public final class Redrive {

    /** What a redrive did. */
    public record Result(int redriven, Map<String, Integer> stillBad, int leftClaimed) {}

    private final DeadLetters letters;
    private final Republisher stream;
    private final ClickEventCodec reading;
    private final ClickEventCodec writing = new ClickEventCodec();
    private final Duration dedupeWindow;
    private final boolean force;
    private final Clock clock;
    private final Consumer<String> say;

    /**
     * @param reading how a dead letter's bytes are read now (e.g. dropping unknown fields)
     * @param dedupeWindow how long the consumers remember an event id: the longest a claim may be old
     *     and its dead letter still be published again safely
     * @param force publish claimed dead letters however old their claim
     */
    public Redrive(
            DeadLetters letters,
            Republisher stream,
            ClickEventCodec reading,
            Duration dedupeWindow,
            boolean force,
            Clock clock,
            Consumer<String> say) {
        this.letters = letters;
        this.stream = stream;
        this.reading = reading;
        this.dedupeWindow = dedupeWindow;
        this.force = force;
        this.clock = clock;
        this.say = say;
    }

    public Result run() {
        int redriven = 0;
        int leftClaimed = 0;
        Map<String, Integer> stillBad = new TreeMap<>();
        for (DeadLetters.Kept kept : letters.list()) {
            DeadLetter d = kept.letter();
            if (!kept.keptWhole()) {
                stillBad.merge("kept_in_part", 1, Integer::sum);
                continue;
            }
            ClickEvent event = eventOf(d);
            if (event == null) {
                stillBad.merge(d.reason(), 1, Integer::sum);
                continue;
            }
            Instant now = clock.instant();
            Instant claimed = kept.claimedAt();
            if (claimed != null && claimed.plus(dedupeWindow).isBefore(now) && !force) {
                say.accept("Left " + where(d) + ": a redrive claimed it at " + claimed
                        + " and did not finish; if user " + event.userId() + " did not get event "
                        + event.eventId() + ", redrive again with --force");
                leftClaimed++;
                continue;
            }
            if (!letters.claim(kept, now)) {
                leftClaimed++;
                continue;
            }
            stream.publish(event.userId(), writing.write(event));
            letters.delete(kept);
            redriven++;
        }
        Result result = new Result(redriven, stillBad, leftClaimed);
        say.accept("Redrove " + redriven + " dead letters; still bad: " + (stillBad.isEmpty() ? "none" : stillBad)
                + (leftClaimed > 0 ? "; left claimed: " + leftClaimed : ""));
        return result;
    }

    /** The event a dead letter reads as now, or null when it is still poison. */
    private @Nullable ClickEvent eventOf(DeadLetter d) {
        Decoded decoded =
                Decoded.of(new StreamRecord(d.position(), d.partitionKey(), d.data(), d.arrivedAt()), reading);
        if (decoded instanceof Decoded.Event e) {
            return e.event();
        }
        Decoded.Poison poison = (Decoded.Poison) decoded;
        if (poison.reason().equals(Decoded.PARTITION_KEY_MISMATCH)) {
            // A valid event under the wrong key: published again under its own user's id.
            return reading.readStored(d.data());
        }
        return null;
    }

    private static String where(DeadLetter d) {
        return d.shardId() + " at " + d.position();
    }
}
