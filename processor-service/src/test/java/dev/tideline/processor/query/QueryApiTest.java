package dev.tideline.processor.query;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.tideline.model.shard.Position;
import dev.tideline.processor.apply.AggregateStore;
import dev.tideline.processor.apply.PageMinute;
import dev.tideline.processor.apply.ShardMinute;
import dev.tideline.processor.apply.StoreUnavailableException;
import dev.tideline.processor.apply.UserActivity;
import dev.tideline.processor.apply.UserState;
import dev.tideline.processor.apply.Write;
import dev.tideline.processor.generation.Served;
import dev.tideline.web.RequestIdFilter;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;

@WebMvcTest(QueryController.class)
@Import({QueryApiTest.Fakes.class, QueryProblems.class, RequestIdFilter.class})
@TestPropertySource(properties = "spring.jackson.property-naming-strategy=SNAKE_CASE")
class QueryApiTest {

    static final Instant NOW = Instant.parse("2026-11-22T10:15:30Z");

    @Autowired
    MockMvc mvc;

    @Autowired
    FakeStore store;

    @BeforeEach
    void reset() {
        store.users.clear();
        store.views.clear();
        store.down = false;
    }

    @Test
    void aKnownUsersActivityIsReturnedInSnakeCase() throws Exception {
        store.users.put(
                "alice",
                new UserActivity(
                        "alice",
                        3,
                        new TreeMap<>(Map.of("page_view", 2L, "click", 1L)),
                        Instant.parse("2026-11-22T09:00:00Z"),
                        Instant.parse("2026-11-22T10:00:00Z"),
                        "/cart",
                        2,
                        1));

        mvc.perform(get("/v1/users/alice/activity"))
                .andExpect(status().isOk())
                .andExpect(header().exists("X-Request-Id"))
                .andExpect(jsonPath("$.user_id").value("alice"))
                .andExpect(jsonPath("$.total_events").value(3))
                .andExpect(jsonPath("$.bot_events").value(1))
                .andExpect(jsonPath("$.events_by_type.page_view").value(2))
                .andExpect(jsonPath("$.first_seen").value("2026-11-22T09:00:00Z"))
                .andExpect(jsonPath("$.last_seen").value("2026-11-22T10:00:00Z"))
                .andExpect(jsonPath("$.last_page").value("/cart"))
                .andExpect(jsonPath("$.sessions").value(2));
    }

    @Test
    void anUnknownUserIs404AsAProblemWithTheRequestId() throws Exception {
        mvc.perform(get("/v1/users/nobody/activity").header("X-Request-Id", "req-1"))
                .andExpect(status().isNotFound())
                .andExpect(content().contentType("application/problem+json"))
                .andExpect(header().string("X-Request-Id", "req-1"))
                .andExpect(jsonPath("$.request_id").value("req-1"));
    }

    @Test
    void aUserIdLongerThanAPartitionKeyIs400() throws Exception {
        mvc.perform(get("/v1/users/" + "x".repeat(257) + "/activity"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("user_id"));
        mvc.perform(get("/v1/users/" + "\uD83D\uDE00".repeat(257) + "/activity"))
                .andExpect(status().isBadRequest());
    }

    @Test
    void aUserIdIsCountedInCharactersAsTheContractCountsIt() throws Exception {
        // 256 emoji are 512 UTF-16 units but 256 characters: valid at ingest, so valid here.
        mvc.perform(get("/v1/users/" + "\uD83D\uDE00".repeat(256) + "/activity"))
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.type").value(org.hamcrest.Matchers.endsWith("unknown-user")));
    }

    @Test
    void topPagesSumsTheMinutesOfTheWindowAndRanksThem() throws Exception {
        store.views.put(Instant.parse("2026-11-22T10:15:00Z"), Map.of("/a", 5L, "/b", 1L));
        store.views.put(Instant.parse("2026-11-22T10:13:00Z"), Map.of("/b", 7L, "/c", 2L));
        store.views.put(Instant.parse("2026-11-22T10:05:00Z"), Map.of("/old", 100L));

        mvc.perform(get("/v1/pages/top?minutes=5&limit=2"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.from").value("2026-11-22T10:11:00Z"))
                .andExpect(jsonPath("$.to").value("2026-11-22T10:15:30Z"))
                .andExpect(jsonPath("$.pages.length()").value(2))
                .andExpect(jsonPath("$.pages[0].page").value("/b"))
                .andExpect(jsonPath("$.pages[0].views").value(8))
                .andExpect(jsonPath("$.pages[1].page").value("/a"));
    }

    @Test
    void badParametersAre400NamingEachOne() throws Exception {
        mvc.perform(get("/v1/pages/top?minutes=0&limit=lots"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentType("application/problem+json"))
                .andExpect(jsonPath("$.errors[0].field").value("minutes"))
                .andExpect(jsonPath("$.errors[1].field").value("limit"));
        mvc.perform(get("/v1/pages/top?minutes=61")).andExpect(status().isBadRequest());
        mvc.perform(get("/v1/pages/top?limit=101")).andExpect(status().isBadRequest());
    }

    @Test
    void anUnreachableStoreIs503WithRetryAfter() throws Exception {
        store.down = true;

        mvc.perform(get("/v1/users/alice/activity"))
                .andExpect(status().isServiceUnavailable())
                .andExpect(header().string("Retry-After", "5"))
                .andExpect(content().contentType("application/problem+json"));
    }

    @TestConfiguration
    static class Fakes {

        @Bean
        FakeStore store() {
            return new FakeStore();
        }

        @Bean
        Served served(FakeStore store) {
            return () -> store;
        }

        @Bean
        Clock clock() {
            return Clock.fixed(NOW, ZoneOffset.UTC);
        }
    }

    /** Only the reads the query API makes. */
    static final class FakeStore implements AggregateStore {

        final Map<String, UserActivity> users = new HashMap<>();
        final Map<Instant, Map<String, Long>> views = new HashMap<>();
        volatile boolean down;

        private void check() {
            if (down) {
                throw new StoreUnavailableException("connection refused", new java.net.ConnectException());
            }
        }

        @Override
        public Optional<UserActivity> user(String userId) {
            check();
            return Optional.ofNullable(users.get(userId));
        }

        @Override
        public Map<String, Long> pageViews(Instant minute) {
            check();
            return views.getOrDefault(minute, Map.of());
        }

        @Override
        public Map<String, UserState> users(Collection<String> userIds) {
            throw new UnsupportedOperationException();
        }

        @Override
        public @Nullable ShardMinute minuteViews(String shardId, Instant minute) {
            throw new UnsupportedOperationException();
        }

        @Override
        public @Nullable Position pageViewsMark(String shardId, PageMinute view) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<Write.Result> write(List<Write> writes) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void shardEnded(String shardId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean hasEnded(String shardId) {
            throw new UnsupportedOperationException();
        }
    }
}
