package dev.tideline.processor.apply;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * A page in one minute of server time, the unit {@code GET /v1/pages/top} sums. Minutes go by
 * {@code received_at}, so a client with a wrong clock cannot put views into the past or the future.
 *
 * @param minute the start of the minute, UTC
 */
public record PageMinute(Instant minute, String page) {

    public PageMinute {
        minute = minute.truncatedTo(ChronoUnit.MINUTES);
    }
}
