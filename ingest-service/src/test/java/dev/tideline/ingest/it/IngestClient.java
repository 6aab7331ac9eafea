package dev.tideline.ingest.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Posts events over real HTTP, as a tracker would. */
final class IngestClient {

    static final String KEY = "it-key";
    private static final Pattern EVENT_ID = Pattern.compile("\"event_id\":\"([0-9a-f-]{36})\"");

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final URI events;

    IngestClient(int port) {
        this.events = URI.create("http://127.0.0.1:" + port + "/v1/events");
    }

    /** One answer: the status, the event id when accepted, Retry-After when refused, and the body. */
    record Answer(int status, String eventId, String retryAfter, String body) {}

    Answer post(String userId, int n) throws IOException, InterruptedException {
        String body = "{\"user_id\":\"" + userId + "\",\"event_type\":\"page_view\",\"page\":\"/p/" + n
                + "\",\"properties\":{\"n\":\"" + n + "\"}}";
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(events)
                        .timeout(Duration.ofSeconds(30))
                        .header("Content-Type", "application/json")
                        .header("X-Api-Key", KEY)
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        Matcher m = EVENT_ID.matcher(response.body());
        return new Answer(
                response.statusCode(),
                m.find() ? m.group(1) : null,
                response.headers().firstValue("Retry-After").orElse(null),
                response.body());
    }
}
