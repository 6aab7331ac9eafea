package dev.tideline.processor.query;

import dev.tideline.model.event.UserIds;
import dev.tideline.processor.apply.AggregateStore;
import dev.tideline.processor.apply.UserActivity;
import dev.tideline.processor.generation.Served;
import dev.tideline.web.ApiProblem;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The hot path's query API (the README, "The processor service"). */
@RestController
class QueryController {

    static final int MAX_MINUTES = 60;
    static final int MAX_LIMIT = 100;

    private final Served served;
    private final Clock clock;

    /** @param served the current generation's aggregates: a rebuild's switch reaches queries through it */
    QueryController(Served served, Clock clock) {
        this.served = served;
        this.clock = clock;
    }

    record PageViews(String page, long views) {}

    record TopPages(Instant from, Instant to, List<PageViews> pages) {}

    @GetMapping("/v1/users/{userId}/activity")
    UserActivity activity(@PathVariable String userId) {
        String violation = UserIds.violation(userId);
        if (violation != null) {
            throw new BadParameters(List.of(ApiProblem.error("user_id", violation)));
        }
        return served.store().user(userId).orElseThrow(() -> new UnknownUser(userId));
    }

    @GetMapping("/v1/pages/top")
    TopPages topPages(
            @RequestParam(defaultValue = "5") String minutes, @RequestParam(defaultValue = "10") String limit) {
        List<Map<String, Object>> errors = new ArrayList<>();
        int m = bounded("minutes", minutes, MAX_MINUTES, errors);
        int l = bounded("limit", limit, MAX_LIMIT, errors);
        if (!errors.isEmpty()) {
            throw new BadParameters(errors);
        }
        Instant to = clock.instant();
        Instant lastMinute = to.truncatedTo(ChronoUnit.MINUTES);
        Instant from = lastMinute.minus(m - 1L, ChronoUnit.MINUTES);
        Map<String, Long> views = new HashMap<>();
        AggregateStore store = served.store();
        for (Instant minute = from; !minute.isAfter(lastMinute); minute = minute.plus(1, ChronoUnit.MINUTES)) {
            store.pageViews(minute).forEach((page, count) -> views.merge(page, count, Long::sum));
        }
        List<PageViews> top = views.entrySet().stream()
                .map(e -> new PageViews(e.getKey(), e.getValue()))
                .sorted(Comparator.comparingLong(PageViews::views).reversed().thenComparing(PageViews::page))
                .limit(l)
                .toList();
        return new TopPages(from, to, top);
    }

    private static int bounded(String name, String value, int max, List<Map<String, Object>> errors) {
        try {
            int n = Integer.parseInt(value.strip());
            if (n >= 1 && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        errors.add(ApiProblem.error(name, "must be a whole number from 1 to " + max));
        return 0;
    }

    static final class BadParameters extends RuntimeException {
        final transient List<Map<String, Object>> errors;

        BadParameters(List<Map<String, Object>> errors) {
            super("bad parameters", null, false, false);
            this.errors = errors;
        }
    }

    static final class UnknownUser extends RuntimeException {
        UnknownUser(String userId) {
            super("no events were ever applied for user '" + userId + "'", null, false, false);
        }
    }
}
