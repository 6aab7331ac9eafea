package dev.tideline.processor.apply;

import dev.tideline.model.shard.Position;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * One shard's page views in one minute, as one item: views per page, for at most
 * {@link #MAX_PAGES} pages, and the mark of the last record it considered.
 */
public record ShardMinute(Position mark, Map<String, Long> views) {

    /** Bounds the minute's item to about 70 KB, and so the write units of each of its writes. */
    public static final int MAX_PAGES = 256;

    /** A longer page always gets an item of its own. */
    public static final int MAX_PAGE_BYTES = 256;

    /**
     * Whether a page not yet in the minute's item goes into it, beside {@code pagesHeld} others;
     * else it gets an item of its own, for the rest of the minute.
     */
    public static boolean takes(int pagesHeld, String page) {
        return pagesHeld < MAX_PAGES && page.getBytes(StandardCharsets.UTF_8).length <= MAX_PAGE_BYTES;
    }

    public ShardMinute {
        views = Map.copyOf(views);
    }
}
