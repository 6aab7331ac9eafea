package dev.tideline.processor.generation;

import dev.tideline.processor.apply.AggregateStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * One store per generation, made when first needed, and the generation the pointer says is current,
 * read at most once per {@code refresh}: a switch reaches every query within that time, and queries
 * cost no extra read. Thread-safe.
 */
public final class GenerationStores implements Served {

    private final Generations generations;
    private final Function<Generation, AggregateStore> factory;
    private final Duration refresh;
    private final Clock clock;
    private final Map<Generation, AggregateStore> stores = new ConcurrentHashMap<>();
    private volatile @Nullable Generation current;
    private volatile Instant readAt = Instant.MIN;

    public GenerationStores(
            Generations generations, Function<Generation, AggregateStore> factory, Duration refresh, Clock clock) {
        this.generations = generations;
        this.factory = factory;
        this.refresh = refresh;
        this.clock = clock;
    }

    /** These stores, each seen through {@code decorator}: a store that counts or delays its writes, say. */
    public GenerationStores decorated(UnaryOperator<AggregateStore> decorator) {
        return new GenerationStores(generations, factory.andThen(decorator), refresh, clock);
    }

    public AggregateStore of(Generation generation) {
        return stores.computeIfAbsent(generation, factory);
    }

    /** The current generation, read again when the last read is older than the refresh. */
    public Generation current() {
        Generation known = current;
        Instant now = clock.instant();
        if (known == null || !now.isBefore(readAt.plus(refresh))) {
            known = generations.read().current();
            current = known;
            readAt = now;
        }
        return known;
    }

    @Override
    public AggregateStore store() {
        return of(current());
    }
}
