package dev.tideline.ingest.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.asyncDispatch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.tideline.localaws.junit.PublishedMeters;
import dev.tideline.model.event.ClickEvent;
import dev.tideline.model.event.ClickEventCodec;
import dev.tideline.model.metrics.Meters;
import dev.tideline.web.RequestIdFilter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

@WebMvcTest({BeaconController.class, EventsController.class, TrackerController.class})
@Import({EventsApiTest.Wiring.class, ProblemWriter.class, RequestIdFilter.class, EventIntake.class, BeaconGate.class})
@TestPropertySource(
        properties = {
            "tideline.ingest.auth.api-keys[0]=" + BeaconApiTest.SECRET,
            "tideline.ingest.beacon.keys[0].key=" + BeaconApiTest.KEY,
            "tideline.ingest.beacon.keys[0].origins[0]=" + BeaconApiTest.SHOP,
            "tideline.ingest.beacon.max-events=5",
            "tideline.ingest.beacon.max-body=4KB",
            "tideline.ingest.beacon.key-rate=1000",
            "tideline.ingest.beacon.key-burst=1000",
            "tideline.ingest.beacon.client-rate=1",
            "tideline.ingest.beacon.client-burst=8",
            "tideline.ingest.context.trusted-proxies[0]=10.0.0.0/8",
            "tideline.ingest.context.user-agent=true"
        })
class BeaconApiTest {

    static final String SECRET = "secret-key";
    static final String KEY = "pk_test_shop";
    static final String SHOP = "https://shop.example";
    private static final String CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko)"
            + " Chrome/156.0.0.0 Safari/537.36";
    private static final ClickEventCodec CODEC = new ClickEventCodec();

    @Autowired
    MockMvc mvc;

    @Autowired
    FakePublisher publisher;

    @Autowired
    MeterRegistry registry;

    private int client;

    @BeforeEach
    void reset() {
        publisher.reset();
    }

    /** A beacon as a page at {@code SHOP} sends it, each from its own client address. */
    private MockHttpServletRequestBuilder beacon(String body) {
        return beacon(body, "203.0.113." + (++client % 250));
    }

    private MockHttpServletRequestBuilder beacon(String body, String address) {
        return beacon(body, address, KEY, SHOP);
    }

    private MockHttpServletRequestBuilder beacon(String body, String address, String key, String origin) {
        return post(BeaconController.PATH)
                .queryParam("key", key)
                .header("Origin", origin)
                .header("User-Agent", CHROME)
                .contentType(MediaType.TEXT_PLAIN)
                .content(body)
                .with(r -> {
                    r.setRemoteAddr(address);
                    return r;
                });
    }

    private ResultActions answer(MockHttpServletRequestBuilder request) throws Exception {
        ResultActions done = mvc.perform(request);
        MvcResult result = done.andReturn();
        return result.getRequest().isAsyncStarted() ? mvc.perform(asyncDispatch(result)) : done;
    }

    private List<ClickEvent> published() {
        return publisher.puts.stream().map(p -> CODEC.readStored(p.data())).toList();
    }

    @Test
    void ndjsonTextFromAnAllowedPageIs204AndEveryEventIsStampedWithItsClient() throws Exception {
        answer(beacon("{\"user_id\":\"u-1\",\"event_type\":\"page_view\",\"page\":\"/\"}\n"
                        + "{\"user_id\":\"u-1\",\"event_type\":\"click\"}\n"))
                .andExpect(status().isNoContent())
                .andExpect(header().string("Access-Control-Allow-Origin", SHOP))
                .andExpect(header().string("Access-Control-Expose-Headers", "Retry-After, X-Request-Id"));

        assertThat(published()).hasSize(2).allSatisfy(e -> {
            assertThat(e.context()).isNotNull();
            assertThat(e.context().userAgent()).isEqualTo(CHROME);
            assertThat(e.context().ip()).matches("203\\.0\\.113\\.0");
            assertThat(e.context().browser()).isEqualTo("Chrome 156");
            assertThat(e.context().bot()).isFalse();
        });
    }

    @Test
    void oneEventOrAJsonArrayIsTakenToo() throws Exception {
        answer(beacon("{\"user_id\":\"u-1\",\"event_type\":\"click\"}")).andExpect(status().isNoContent());
        answer(
                        beacon(
                                " [{\"user_id\":\"u-2\",\"event_type\":\"click\"},{\"user_id\":\"u-3\",\"event_type\":\"click\"}]"))
                .andExpect(status().isNoContent());

        assertThat(published()).extracting(ClickEvent::userId).containsExactly("u-1", "u-2", "u-3");
    }

    @Test
    void someInvalidEventsGetThePerEventResults() throws Exception {
        answer(beacon("{\"user_id\":\"u-1\",\"event_type\":\"click\"}\n{\"user_id\":\"u-1\",\"event_type\":\"Bad\"}"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.accepted").value(1))
                .andExpect(jsonPath("$.results[1].error").value("invalid"));
    }

    @Test
    void aPageOnAnotherOriginIs403AndNothingIsWritten() throws Exception {
        answer(beacon("{\"user_id\":\"u\",\"event_type\":\"click\"}", "203.0.113.1", KEY, "https://evil.example"))
                .andExpect(status().isForbidden())
                .andExpect(header().string("Content-Type", "application/problem+json"))
                .andExpect(header().string("Access-Control-Allow-Origin", "https://evil.example"))
                .andExpect(jsonPath("$.detail").value("this key may not be used from https://evil.example"));
        answer(post(BeaconController.PATH)
                        .queryParam("key", KEY)
                        .contentType(MediaType.TEXT_PLAIN)
                        .content("{\"user_id\":\"u\",\"event_type\":\"click\"}"))
                .andExpect(status().isForbidden())
                .andExpect(jsonPath("$.detail").value("a beacon must come from a page (no Origin)"));

        assertThat(publisher.puts).isEmpty();
        assertThat(registry.get(Meters.INGEST_BEACON_REFUSED.name())
                        .tag("reason", "origin")
                        .counter()
                        .count())
                .isGreaterThanOrEqualTo(2);
        PublishedMeters.assertRegistered(registry, List.of(Meters.INGEST_BEACON_REFUSED));
    }

    @Test
    void withoutAnOriginTheRefererTellsThePage() throws Exception {
        answer(post(BeaconController.PATH)
                        .queryParam("key", KEY)
                        .header("Referer", SHOP + "/cart?x=1")
                        .contentType(MediaType.TEXT_PLAIN)
                        .content("{\"user_id\":\"u\",\"event_type\":\"click\"}"))
                .andExpect(status().isNoContent());
    }

    @Test
    void aSecretKeyInABeaconAndAnUnknownOrMissingKeyAre401() throws Exception {
        answer(beacon("{\"user_id\":\"u\",\"event_type\":\"click\"}", "203.0.113.1", SECRET, SHOP))
                .andExpect(status().isUnauthorized())
                .andExpect(jsonPath("$.detail")
                        .value("a beacon takes a publishable key (pk_...); a secret key must never be put in a page"));
        answer(post(BeaconController.PATH + "?key=" + SECRET)
                        .header("Origin", SHOP)
                        .contentType(MediaType.TEXT_PLAIN)
                        .content("{}"))
                .andExpect(status().isUnauthorized());
        answer(post(BeaconController.PATH + "?key=pk_nobody")
                        .header("Origin", SHOP)
                        .contentType(MediaType.TEXT_PLAIN)
                        .content("{}"))
                .andExpect(status().isUnauthorized())
                .andExpect(jsonPath("$.detail").value("the key is not a known publishable key"));
        answer(post(BeaconController.PATH)
                        .header("Origin", SHOP)
                        .contentType(MediaType.TEXT_PLAIN)
                        .content("{}"))
                .andExpect(status().isUnauthorized())
                .andExpect(jsonPath("$.detail").value("a beacon needs ?key=pk_..."));

        assertThat(publisher.puts).isEmpty();
    }

    @Test
    void aPublishableKeyIsNoGoodForTheSecretKeyEndpoints() throws Exception {
        answer(post("/v1/events")
                        .header(ApiKeyFilter.HEADER, KEY)
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"user_id\":\"u\",\"event_type\":\"click\"}"))
                .andExpect(status().isUnauthorized())
                .andExpect(jsonPath("$.detail").value("a publishable key (pk_...) is good only for /v1/beacon"));

        assertThat(publisher.puts).isEmpty();
    }

    @Test
    void aClientOverItsRateGets429WithRetryAfterAndNothingIsWritten() throws Exception {
        String five = "{\"user_id\":\"u\",\"event_type\":\"click\"}\n".repeat(5);
        answer(beacon(five, "198.51.100.99")).andExpect(status().isNoContent());

        answer(beacon(five, "198.51.100.99"))
                .andExpect(status().isTooManyRequests())
                .andExpect(header().exists("Retry-After"))
                .andExpect(header().string("Access-Control-Allow-Origin", SHOP))
                .andExpect(jsonPath("$.detail").value("this client sends faster than 1 events a second"));
        assertThat(publisher.puts).hasSize(5);
    }

    @Test
    void forwardedForIsIgnoredFromAnUntrustedPeerAndBelievedFromTheBalancer() throws Exception {
        answer(beacon("{\"user_id\":\"u\",\"event_type\":\"click\"}").header("X-Forwarded-For", "198.51.100.7"))
                .andExpect(status().isNoContent());
        answer(beacon("{\"user_id\":\"v\",\"event_type\":\"click\"}", "10.0.0.5")
                        .header("X-Forwarded-For", "1.2.3.4, 198.51.100.7"))
                .andExpect(status().isNoContent());

        assertThat(published()).extracting(e -> e.context().ip()).containsExactly("203.0.113.0", "198.51.100.0");
    }

    @Test
    void hostileBeaconsGetCleanProblemsAndWriteNothing() throws Exception {
        answer(beacon("garbage \u0000 not json"))
                .andExpect(status().isBadRequest())
                .andExpect(header().string("Content-Type", "application/problem+json"));
        answer(beacon("x".repeat(5000)))
                .andExpect(status().isContentTooLarge())
                .andExpect(header().string("Content-Type", "application/problem+json"));
        answer(beacon("{\"user_id\":\"u\",\"event_type\":\"click\"}\n".repeat(6)))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].message").value("a batch holds at most 5 events, not 6"));
        answer(beacon("")).andExpect(status().isBadRequest());
        answer(beacon("{\"user_id\":\"u\",\"event_type\":\"click\",\"is_bot\":false,\"ip\":\"1.1.1.1\"}"))
                .andExpect(status().isBadRequest());
        answer(beacon("{}").contentType(MediaType.APPLICATION_XML)).andExpect(status().isUnsupportedMediaType());

        assertThat(publisher.puts).isEmpty();
    }

    @Test
    void whenTheStreamIsDownABeaconIs503WithRetryAfter() throws Exception {
        publisher.refusing = true;

        answer(beacon("{\"user_id\":\"u\",\"event_type\":\"click\"}"))
                .andExpect(status().isServiceUnavailable())
                .andExpect(header().exists("Retry-After"));
    }

    @Test
    void theTrackerIsServedCacheableAndRevalidatedByItsETag() throws Exception {
        MvcResult served = mvc.perform(get(TrackerController.PATH))
                .andExpect(status().isOk())
                .andExpect(header().string("Content-Type", "text/javascript;charset=UTF-8"))
                .andExpect(header().string("Cache-Control", "max-age=3600, public"))
                .andExpect(header().string("X-Tideline-Version", "1.0.0"))
                .andReturn();
        assertThat(served.getResponse().getContentAsString(StandardCharsets.UTF_8))
                .contains("w.tideline = {");

        mvc.perform(get(TrackerController.PATH)
                        .header("If-None-Match", served.getResponse().getHeader("ETag")))
                .andExpect(status().isNotModified());
    }
}
