package dev.tideline.processor.it;

import dev.tideline.localaws.truth.Clickstream;
import dev.tideline.localaws.truth.GroundTruth;
import dev.tideline.model.event.ClickEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/** Feeds batches of events at a steady pace on a thread of its own, adding each to the ground truth. */
final class BackgroundFeed {

    private final CompletableFuture<Void> done;
    private final AtomicInteger batchesSent = new AtomicInteger();

    /**
     * @param writer how a batch goes to the stream, e.g. {@link StreamFeeder#aggregated}
     * @param pace the pause between batches, which spreads the load over time
     */
    BackgroundFeed(
            Clickstream clicks,
            GroundTruth truth,
            int batches,
            int batchSize,
            Duration pace,
            Consumer<List<ClickEvent>> writer) {
        this(clicks, truth, batches, batchSize, pace, writer, 0);
    }

    /**
     * @param retried every this many events of a batch, one is sent again, same {@code event_id}, in
     *     the next batch, as a client retries after a timeout; 0 for none
     */
    BackgroundFeed(
            Clickstream clicks,
            GroundTruth truth,
            int batches,
            int batchSize,
            Duration pace,
            Consumer<List<ClickEvent>> writer,
            int retried) {
        done = CompletableFuture.runAsync(() -> {
            List<ClickEvent> previous = List.of();
            for (int i = 0; i < batches; i++) {
                List<ClickEvent> events = new ArrayList<>(clicks.next(batchSize));
                for (int r = 0; retried > 0 && r < previous.size(); r += retried) {
                    events.add(previous.get(r));
                }
                previous = events.subList(0, batchSize);
                writer.accept(events);
                truth.add(events);
                batchesSent.incrementAndGet();
                try {
                    Thread.sleep(pace.toMillis()); // pacing the load, not waiting for a condition
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        });
    }

    int batchesSent() {
        return batchesSent.get();
    }

    boolean finished() {
        return done.isDone();
    }

    /** Waits for the last batch to be written; rethrows what failed the feed. */
    void join() throws Exception {
        done.get(5, TimeUnit.MINUTES);
    }
}
