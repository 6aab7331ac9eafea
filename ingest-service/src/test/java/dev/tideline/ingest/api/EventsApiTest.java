package dev.tideline.ingest.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.asyncDispatch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.options;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.tideline.ingest.config.IngestProperties;
import dev.tideline.localaws.junit.PublishedMeters;
import dev.tideline.model.event.ClickEventCodec;
import dev.tideline.model.metrics.Meters;
import dev.tideline.web.RequestIdFilter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

@WebMvcTest(EventsController.class)
@Import({EventsApiTest.Wiring.class, ProblemWriter.class, RequestIdFilter.class, EventIntake.class})
@TestPropertySource(
        properties = {
            "tideline.ingest.auth.api-keys[0]=sha256:" + EventsApiTest.KEY_SHA256,
            "tideline.ingest.auth.api-keys[1]=second-key",
            "tideline.ingest.cors-origins[0]=https://shop.example"
        })
class EventsApiTest {

    static final String KEY = "test-key";
    // sha256("test-key")
    static final String KEY_SHA256 = "62af8704764faf8ea82fc61ce9c4c3908b6cb97d463a634e9e587d7c885db0ef";

    @TestConfiguration(proxyBeanMethods = false)
    @EnableConfigurationProperties(IngestProperties.class)
    static class Wiring {
        @Bean
        FakePublisher fakePublisher() {
            return new FakePublisher();
        }

        @Bean
        MeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }
    }

    @Autowired
    MockMvc mvc;

    @Autowired
    FakePublisher publisher;

    @Autowired
    MeterRegistry registry;

    @BeforeEach
    void reset() {
        publisher.reset();
    }

    @Test
    void anAcceptedEventIsStampedPublishedUnderItsUserAndAnswered202() throws Exception {
        MvcResult started = mvc.perform(event("{\"user_id\":\"u-1\",\"event_type\":\"click\",\"page\":\"/\"}"))
                .andReturn();

        mvc.perform(asyncDispatch(started))
                .andExpect(status().isAccepted())
                .andExpect(header().exists(RequestIdFilter.HEADER))
                .andExpect(jsonPath("$.event_id").isString())
                .andExpect(jsonPath("$.shard_id").value("shardId-000000000001"))
                .andExpect(jsonPath("$.sequence_number").value("101"))
                .andExpect(jsonPath("$.sub_sequence_number").value(0));
        assertThat(publisher.puts).singleElement().satisfies(put -> {
            assertThat(put.partitionKey()).isEqualTo("u-1");
            var stored = new ClickEventCodec().readStored(put.data());
            assertThat(stored.receivedAt()).isNotNull();
            assertThat(stored.page()).isEqualTo("/");
        });
        PublishedMeters.assertRegistered(registry, List.of(Meters.INGEST_EVENTS));
        assertThat(registry.get(Meters.INGEST_EVENTS.name())
                        .tag(Meters.OUTCOME, "accepted")
                        .counter()
                        .count())
                .isPositive();
    }

    @Test
    void aClientEventIdIsKeptAndTheSecondConfiguredKeyWorks() throws Exception {
        MvcResult started = mvc.perform(
                        post("/v1/events")
                                .header(ApiKeyFilter.HEADER, "second-key")
                                .contentType(MediaType.APPLICATION_JSON)
                                .content(
                                        "{\"event_id\":\"3f1c2a9e-5b7d-4e8f-9a0b-1c2d3e4f5a6b\",\"user_id\":\"u\",\"event_type\":\"click\"}"))
                .andReturn();

        mvc.perform(asyncDispatch(started))
                .andExpect(status().isAccepted())
                .andExpect(jsonPath("$.event_id").value("3f1c2a9e-5b7d-4e8f-9a0b-1c2d3e4f5a6b"));
    }

    @Test
    void aMissingOrWrongKeyIs401AndNothingIsWritten() throws Exception {
        mvc.perform(post("/v1/events").contentType(MediaType.APPLICATION_JSON).content("{}"))
                .andExpect(status().isUnauthorized())
                .andExpect(header().string("Content-Type", "application/problem+json"))
                .andExpect(jsonPath("$.detail").value("the X-Api-Key header is missing"));
        mvc.perform(post("/v1/events")
                        .header(ApiKeyFilter.HEADER, "test-kez")
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"user_id\":\"u\",\"event_type\":\"click\"}"))
                .andExpect(status().isUnauthorized())
                .andExpect(jsonPath("$.detail").value("the X-Api-Key is not valid"));
        assertThat(publisher.puts).isEmpty();
    }

    @Test
    void anInvalidEventIs400NamingEachFieldAndNothingIsWritten() throws Exception {
        mvc.perform(event("{\"user_id\":\"\",\"event_type\":\"Click\",\"colour\":\"red\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(header().string("Content-Type", "application/problem+json"))
                .andExpect(jsonPath("$.errors[0].field").value("user_id"))
                .andExpect(jsonPath("$.errors[0].message").value("must be 1 to 256 characters"))
                .andExpect(jsonPath("$.errors[1].field").value("event_type"))
                .andExpect(jsonPath("$.errors[2].field").value("colour"))
                .andExpect(jsonPath("$.errors[2].message").value("is not a field of an event"))
                .andExpect(jsonPath("$.request_id").isString());
        assertThat(publisher.puts).isEmpty();
    }

    @Test
    void wrongMediaTypeIs415() throws Exception {
        mvc.perform(post("/v1/events")
                        .header(ApiKeyFilter.HEADER, KEY)
                        .contentType(MediaType.TEXT_PLAIN)
                        .content("x"))
                .andExpect(status().isUnsupportedMediaType())
                .andExpect(header().string("Content-Type", "application/problem+json"));
    }

    @Test
    void aBodyOverTheLimitIs413BeforeParsing() throws Exception {
        mvc.perform(event("{\"user_id\":\"" + "u".repeat(70_000) + "\"}"))
                .andExpect(status().isContentTooLarge())
                .andExpect(jsonPath("$.detail").value("the request body is larger than 65536 bytes"));
    }

    @Test
    void anUnreachableStreamIs503WithRetryAfter() throws Exception {
        publisher.refusing = true;
        MvcResult started = mvc.perform(event("{\"user_id\":\"u\",\"event_type\":\"click\"}"))
                .andReturn();

        mvc.perform(asyncDispatch(started))
                .andExpect(status().isServiceUnavailable())
                .andExpect(header().string("Retry-After", "2"))
                .andExpect(header().string("Content-Type", "application/problem+json"));
    }

    @Test
    void aBatchAnswersEveryEventInRequestOrder() throws Exception {
        MvcResult started = mvc.perform(
                        batch(
                                MediaType.APPLICATION_JSON,
                                "[{\"user_id\":\"a\",\"event_type\":\"click\"},{\"user_id\":\"b\"},{\"user_id\":\"c\",\"event_type\":\"view\"}]"))
                .andReturn();

        mvc.perform(asyncDispatch(started))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.accepted").value(2))
                .andExpect(jsonPath("$.failed").value(1))
                .andExpect(jsonPath("$.results[0].index").value(0))
                .andExpect(jsonPath("$.results[0].shard_id").value("shardId-000000000001"))
                .andExpect(jsonPath("$.results[1].index").value(1))
                .andExpect(jsonPath("$.results[1].error").value("invalid"))
                .andExpect(jsonPath("$.results[1].errors[0].field").value("event_type"))
                .andExpect(jsonPath("$.results[2].index").value(2))
                .andExpect(jsonPath("$.results[2].event_id").isString());
        assertThat(publisher.puts).extracting(FakePublisher.Put::partitionKey).containsExactly("a", "c");
    }

    @Test
    void anNdjsonBatchIsReadLineByLine() throws Exception {
        MvcResult started = mvc.perform(batch(
                        MediaType.parseMediaType("application/x-ndjson"),
                        "{\"user_id\":\"a\",\"event_type\":\"click\"}\n{\"user_id\":\"b\",\"event_type\":\"click\"}\n"))
                .andReturn();

        mvc.perform(asyncDispatch(started))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.accepted").value(2));
    }

    @Test
    void aBatchWithNoValidEventIs400NamingIndexAndField() throws Exception {
        MvcResult started = mvc.perform(
                        batch(MediaType.APPLICATION_JSON, "[{\"user_id\":\"a\"},{\"event_type\":\"click\"}]"))
                .andReturn();

        mvc.perform(asyncDispatch(started))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].index").value(0))
                .andExpect(jsonPath("$.errors[0].field").value("event_type"))
                .andExpect(jsonPath("$.errors[1].index").value(1))
                .andExpect(jsonPath("$.errors[1].field").value("user_id"));
    }

    @Test
    void aBatchOverFiveHundredEventsIs400() throws Exception {
        String events =
                String.join(",", java.util.Collections.nCopies(501, "{\"user_id\":\"a\",\"event_type\":\"click\"}"));
        mvc.perform(batch(MediaType.APPLICATION_JSON, "[" + events + "]"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].message").value("a batch holds at most 500 events, not 501"));
        assertThat(publisher.puts).isEmpty();
    }

    @Test
    void aBatchTheStreamRefusesWholeIs503() throws Exception {
        publisher.refusing = true;
        MvcResult started = mvc.perform(
                        batch(MediaType.APPLICATION_JSON, "[{\"user_id\":\"a\",\"event_type\":\"click\"}]"))
                .andReturn();

        mvc.perform(asyncDispatch(started))
                .andExpect(status().isServiceUnavailable())
                .andExpect(header().exists("Retry-After"));
    }

    @Test
    void browsersFromConfiguredOriginsPassPreflightWithoutAKey() throws Exception {
        mvc.perform(options("/v1/events")
                        .header("Origin", "https://shop.example")
                        .header("Access-Control-Request-Method", "POST")
                        .header("Access-Control-Request-Headers", "content-type,x-api-key"))
                .andExpect(status().isOk())
                .andExpect(header().string("Access-Control-Allow-Origin", "https://shop.example"));
        mvc.perform(options("/v1/events")
                        .header("Origin", "https://evil.example")
                        .header("Access-Control-Request-Method", "POST"))
                .andExpect(status().isForbidden());
    }

    static Stream<Arguments> hostileBodies() {
        byte[] invalidUtf8 = "{\"user_id\":\"u\u00e9\",\"event_type\":\"click\"}".getBytes(StandardCharsets.UTF_8);
        invalidUtf8[13] = (byte) 0xFF;
        return Stream.of(
                Arguments.of("truncated JSON", bytes("{\"user_id\":\"u\",\"event_")),
                Arguments.of("wrong types", bytes("{\"user_id\":[1],\"event_type\":{\"a\":1},\"properties\":\"x\"}")),
                Arguments.of("10,000-deep nesting", bytes("[".repeat(10_000) + "]".repeat(10_000))),
                Arguments.of("10,000-deep object", bytes("{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000))),
                Arguments.of("a 5 MiB string", bytes("{\"page\":\"" + "p".repeat(5 * 1024 * 1024) + "\"}")),
                Arguments.of("invalid UTF-8", invalidUtf8),
                Arguments.of("NUL bytes", bytes("{\"user_id\":\"\u0000\",\0\"event_type\":\"click\"}")),
                Arguments.of("empty body", new byte[0]),
                Arguments.of("a bare number", bytes("42")),
                Arguments.of(
                        "duplicate keys", bytes("{\"user_id\":\"a\",\"user_id\":\"b\",\"event_type\":\"click\"}")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileBodies")
    void hostileBodiesGetAPrecise4xxNeverA5xx(String title, byte[] body) throws Exception {
        for (String path : new String[] {"/v1/events", "/v1/events/batch"}) {
            MvcResult result = mvc.perform(post(path)
                            .header(ApiKeyFilter.HEADER, KEY)
                            .contentType(MediaType.APPLICATION_JSON)
                            .content(body))
                    .andReturn();
            if (result.getRequest().isAsyncStarted()) {
                result = mvc.perform(asyncDispatch(result)).andReturn();
            }
            int status = result.getResponse().getStatus();
            assertThat(status).as("%s on %s", title, path).isBetween(400, 499);
        }
        assertThat(publisher.puts).isEmpty();
    }

    private static MockHttpServletRequestBuilder event(String json) {
        return post("/v1/events")
                .header(ApiKeyFilter.HEADER, KEY)
                .contentType(MediaType.APPLICATION_JSON)
                .content(json);
    }

    private static MockHttpServletRequestBuilder batch(MediaType type, String body) {
        return post("/v1/events/batch")
                .header(ApiKeyFilter.HEADER, KEY)
                .contentType(type)
                .content(body);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
