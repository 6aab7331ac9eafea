package dev.tideline.archiver.archive;

import java.util.concurrent.atomic.AtomicLong;

/** A listener for tests and benchmarks that counts the objects written and the retries left out. */
public final class ObjectCounter implements ArchiverListener {

    private final AtomicLong objects = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();

    public long objects() {
        return objects.get();
    }

    public long duplicates() {
        return duplicates.get();
    }

    @Override
    public void replayed(String shardId, int records) {}

    @Override
    public void duplicates(String shardId, int events) {
        duplicates.addAndGet(events);
    }

    @Override
    public void archived(String shardId, long rows, long inputBytes, long objectBytes) {
        objects.incrementAndGet();
    }

    @Override
    public void errors(String shardId, String reason, int records) {}

    @Override
    public void retry(String shardId) {}
}
