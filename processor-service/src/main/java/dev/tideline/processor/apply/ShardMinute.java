package dev.tideline.processor.apply;

import dev.tideline.model.shard.Position;
import java.util.Map;

/**
 * One shard's page views in one minute, as one item: views per page, for at most
 * {@link PageCounts#MAX_PAGES_PER_MINUTE} pages, and the mark of the last record it considered.
 */
public record ShardMinute(Position mark, Map<String, Long> views) {

    public ShardMinute {
        views = Map.copyOf(views);
    }
}
