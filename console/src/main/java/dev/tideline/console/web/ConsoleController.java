package dev.tideline.console.web;

import dev.tideline.console.collect.Collector;
import dev.tideline.console.collect.Snapshot;
import dev.tideline.console.collect.Tail;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The page's data: the last snapshot, the plots' history, the tail, and the status table. Until the
 * first refresh has finished, the snapshot and the status answer 503 with {@code Retry-After}.
 */
@RestController
class ConsoleController {

    private static final int TAIL_SHOWN = 50;

    private final Collector collector;

    ConsoleController(Collector collector) {
        this.collector = collector;
    }

    @GetMapping("/api/snapshot")
    ResponseEntity<Snapshot> snapshot() {
        Snapshot s = collector.last();
        if (s == null) {
            return notYet();
        }
        return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(s);
    }

    @GetMapping("/api/history")
    Map<String, List<@Nullable Object>> history() {
        return collector.history().columns();
    }

    @GetMapping("/api/tail")
    List<Tail.TailEvent> tail(@RequestParam(name = "user", required = false) @Nullable String user) {
        return collector.tail().newest(user == null || user.isBlank() ? null : user, TAIL_SHOWN);
    }

    /**
     * The per-consumer, per-shard table of {@code ./tideline status}, as text; the header
     * {@code X-Tideline-Healthy} says whether every consumer is within its threshold.
     */
    @GetMapping(value = "/api/status", produces = MediaType.TEXT_PLAIN_VALUE)
    ResponseEntity<String> status() {
        Snapshot s = collector.last();
        if (s == null) {
            return notYet();
        }
        return ResponseEntity.ok()
                .header(StatusTable.HEALTHY_HEADER, Boolean.toString(s.healthy()))
                .cacheControl(CacheControl.noStore())
                .body(StatusTable.render(s));
    }

    private static <T> ResponseEntity<T> notYet() {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header("Retry-After", "2")
                .build();
    }
}
