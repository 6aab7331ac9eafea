package dev.tideline.processor.apply;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts what an applier reports. */
final class CountingListener implements ApplyListener {

    final AtomicInteger replayed = new AtomicInteger();
    final AtomicInteger duplicates = new AtomicInteger();
    final AtomicInteger applied = new AtomicInteger();
    final AtomicInteger fenced = new AtomicInteger();
    final AtomicInteger retries = new AtomicInteger();
    final Map<String, Integer> deadLetters = new ConcurrentHashMap<>();

    @Override
    public void replayed(String shardId, int records) {
        replayed.addAndGet(records);
    }

    @Override
    public void duplicates(String shardId, int events) {
        duplicates.addAndGet(events);
    }

    @Override
    public void applied(String shardId, int events) {
        applied.addAndGet(events);
    }

    @Override
    public void deadLetter(String shardId, String reason) {
        deadLetters.merge(reason, 1, Integer::sum);
    }

    @Override
    public void fenced(String shardId) {
        fenced.incrementAndGet();
    }

    @Override
    public void retry(String shardId) {
        retries.incrementAndGet();
    }
}
