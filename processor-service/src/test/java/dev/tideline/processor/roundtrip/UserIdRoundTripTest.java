package dev.tideline.processor.roundtrip;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tideline.model.event.ClickEvent;
import dev.tideline.model.event.ClickEventCodec;
import dev.tideline.model.shard.Position;
import dev.tideline.processor.apply.AggregateStore;
import dev.tideline.processor.apply.PageMinute;
import dev.tideline.processor.apply.ShardMinute;
import dev.tideline.processor.apply.UserActivity;
import dev.tideline.processor.apply.UserState;
import dev.tideline.processor.apply.Write;
import dev.tideline.processor.generation.Served;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.FilterType;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every user id the event contract accepts can be read back through the query API, on a real
 * Tomcat: the id goes in as an event (so the contract decides), and comes back from
 * {@code GET /v1/users/{id}/activity} with every character but the unreserved ones
 * percent-encoded, as a client's URL library would send it.
 */
class UserIdRoundTripTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final ClickEventCodec CODEC = new ClickEventCodec();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static @Nullable ConfigurableApplicationContext app;
    private static int port;

    @BeforeContainer
    static void start() {
        app = new SpringApplicationBuilder(QueryOnly.class)
                .properties(
                        "spring.cloud.aws.region.static=us-east-1",
                        "management.cloudwatch.metrics.export.enabled=false",
                        // The service's health groups name contributors this slice of it does not have.
                        "management.endpoint.health.validate-group-membership=false",
                        "spring.jackson.property-naming-strategy=SNAKE_CASE")
                // An argument, not a default property, which application.yml's port would override.
                .run("--server.port=0");
        port = ((WebServerApplicationContext) app).getWebServer().getPort();
    }

    @AfterContainer
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Property(tries = 400)
    void everyIdTheContractAcceptsRoundTrips(@ForAll("userIds") String userId) throws Exception {
        String event = JSON.writeValueAsString(Map.of("user_id", userId, "event_type", "click"));
        // The contract's own decision: only ids it accepts must round-trip.
        ClickEvent accepted = CODEC.readSubmitted(event.getBytes(StandardCharsets.UTF_8));

        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(
                                "http://127.0.0.1:" + port + "/v1/users/" + encoded(accepted.userId()) + "/activity"))
                        .build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).path("user_id").asString()).isEqualTo(userId);
    }

    @Provide
    Arbitrary<String> userIds() {
        Arbitrary<String> text = Arbitraries.strings()
                .withCharRange(' ', '\u007F')
                .withCharRange('\u0080', '\uD7FF')
                .withCharRange('\uE000', '\uFFFF')
                .ofMinLength(1)
                .ofMaxLength(40);
        Arbitrary<String> ascii =
                Arbitraries.strings().withCharRange(' ', '~').ofMinLength(1).ofMaxLength(12);
        Arbitrary<String> astral = Arbitraries.of(
                        "\uD83D\uDE00", "\uD83D\uDC4D", "\uD800\uDC00", "\u00E9", "\u4E2D", "/")
                .list()
                .ofMinSize(1)
                .ofMaxSize(10)
                .map(parts -> String.join("", parts));
        Arbitrary<String> edges = Arbitraries.of(
                ".",
                "..",
                "...",
                "/",
                "//",
                "org/42",
                "a\\b",
                "%",
                "%2F",
                "a;b",
                "?",
                "#",
                "+",
                " ",
                "~",
                "\uD83D\uDE00".repeat(256),
                "x".repeat(256));
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(5, text),
                net.jqwik.api.Tuple.of(3, ascii),
                net.jqwik.api.Tuple.of(2, astral),
                net.jqwik.api.Tuple.of(1, edges));
    }

    /** Every UTF-8 byte percent-encoded but the unreserved characters other than '.'. */
    private static String encoded(String id) {
        StringBuilder out = new StringBuilder();
        for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            if ((c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '-'
                    || c == '_'
                    || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(String.format("%02X", c));
            }
        }
        return out.toString();
    }

    /** The query API and its problems on a real web server, over a store that knows every user. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    @ComponentScan(
            basePackages = "dev.tideline.processor.query",
            useDefaultFilters = false,
            includeFilters =
                    @ComponentScan.Filter(
                            type = FilterType.ANNOTATION,
                            classes = {RestController.class, RestControllerAdvice.class}))
    static class QueryOnly {

        @Bean
        Clock clock() {
            return Clock.fixed(Instant.parse("2026-11-29T10:00:00Z"), ZoneOffset.UTC);
        }

        @Bean
        Served everyUserIsKnown() {
            EchoStore store = new EchoStore();
            return () -> store;
        }
    }

    /** Answers every user with an aggregate under the id it was asked for. */
    static final class EchoStore implements AggregateStore {

        @Override
        public Optional<UserActivity> user(String userId) {
            Instant at = Instant.parse("2026-11-29T09:00:00Z");
            return Optional.of(new UserActivity(userId, 1, new TreeMap<>(Map.of("click", 1L)), at, at, null, 1, 0));
        }

        @Override
        public Map<String, UserState> users(Collection<String> userIds) {
            return Map.of();
        }

        @Override
        public Map<String, Long> pageViews(Instant minute) {
            return Map.of();
        }

        @Override
        public @Nullable ShardMinute minuteViews(String shardId, Instant minute) {
            return null;
        }

        @Override
        public @Nullable Position pageViewsMark(String shardId, PageMinute view) {
            return null;
        }

        @Override
        public List<Write.Result> write(List<Write> writes) {
            return List.of();
        }

        @Override
        public void shardEnded(String shardId) {}

        @Override
        public boolean hasEnded(String shardId) {
            return false;
        }
    }
}
