package dev.tideline.archiver.it;

import dev.tideline.model.event.ClickEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/** Synthetic events as the ingest service writes them. */
final class Events {

    private Events() {}

    static List<ClickEvent> of(int count, int users) {
        Random random = new Random(count);
        Instant now = Instant.now();
        List<ClickEvent> events = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            events.add(new ClickEvent(
                    UUID.randomUUID().toString(),
                    "user-" + random.nextInt(users),
                    random.nextBoolean() ? "page_view" : "click",
                    random.nextInt(5) == 0 ? null : "/p/" + random.nextInt(30),
                    null,
                    "s-" + random.nextInt(100),
                    random.nextInt(4) == 0 ? null : now.minusSeconds(random.nextInt(60)),
                    now,
                    Map.of("i", Integer.toString(i))));
        }
        return events;
    }
}
