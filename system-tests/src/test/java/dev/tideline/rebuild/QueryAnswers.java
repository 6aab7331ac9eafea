package dev.tideline.rebuild;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tideline.localaws.junit.ServiceJvm;
import dev.tideline.localaws.truth.GroundTruth;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** What the processor's query API answers, in the ground truth's terms. */
final class QueryAnswers {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private QueryAnswers() {}

    /** Every user's aggregate as the query API answers it. */
    static Map<String, GroundTruth.User> users(ServiceJvm processor, GroundTruth truth) throws Exception {
        return users(processor, truth.users().keySet());
    }

    /** The aggregates of {@code ids} as the query API answers them: one request each. */
    static Map<String, GroundTruth.User> users(ServiceJvm processor, Collection<String> ids) throws Exception {
        Map<String, GroundTruth.User> out = new TreeMap<>();
        for (String id : ids) {
            var response = processor.get("/v1/users/" + URLEncoder.encode(id, StandardCharsets.UTF_8) + "/activity");
            assertThat(response.statusCode()).as("user %s", id).isEqualTo(200);
            JsonNode a = JSON.readTree(response.body());
            TreeMap<String, Long> types = new TreeMap<>();
            a.get("events_by_type")
                    .properties()
                    .forEach(f -> types.put(f.getKey(), f.getValue().asLong()));
            out.put(
                    id,
                    new GroundTruth.User(
                            id,
                            a.get("total_events").asLong(),
                            types,
                            Instant.parse(a.get("first_seen").asString()),
                            Instant.parse(a.get("last_seen").asString()),
                            a.get("last_page").isNull()
                                    ? null
                                    : a.get("last_page").asString(),
                            a.get("sessions").asLong(),
                            a.get("bot_events").asLong()));
        }
        return out;
    }

    static Map<String, Long> topPages(ServiceJvm processor) throws Exception {
        JsonNode top = JSON.readTree(
                processor.get("/v1/pages/top?minutes=60&limit=100").body());
        Map<String, Long> out = new TreeMap<>();
        top.get("pages")
                .forEach(p -> out.put(p.get("page").asString(), p.get("views").asLong()));
        return out;
    }

    static Map<String, Long> lastHourViews(GroundTruth truth) {
        Map<String, Long> out = new TreeMap<>();
        truth.pageViews().values().forEach(m -> m.forEach((page, n) -> out.merge(page, n, Long::sum)));
        return out;
    }
}
