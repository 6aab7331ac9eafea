package dev.tideline.processor.rebuild;

import dev.tideline.processor.apply.Write;
import java.util.List;

/**
 * Puts a new generation's items, in bulk and without conditions: no consumer writes the generation
 * while it loads, and its items are a function of the plan, so an item an earlier attempt put is put
 * again the same. Returns once every item is stored; throws when the store cannot be reached.
 */
@FunctionalInterface
public interface ItemLoader {

    /** @param writes {@code User}, {@code MinuteViews} and {@code PageViews} writes of absent items */
    void load(List<Write> writes);
}
