package dev.tideline.ingest.api;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.tideline.ingest.config.IngestProperties;
import dev.tideline.ingest.context.ClientAddress;
import dev.tideline.model.metrics.Meters;
import dev.tideline.web.ApiProblem;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;

/**
 * Who may send beacons, and how fast. A publishable key is public (it ships in pages), so what it
 * guards is where events may come from (its origins) and how many (a token bucket per key and one
 * per client address, so that one visitor cannot spend a site's whole rate). Thread-safe.
 */
@Component
class BeaconGate {

    /** The prefix of a publishable key; any other key is taken for a secret one. */
    static final String PUBLISHABLE = "pk_";

    private final Map<String, Set<String>> originsByKey = new HashMap<>();
    private final Map<String, Bucket> keyBuckets = new HashMap<>();
    private final Cache<String, Bucket> clientBuckets;
    private final IngestProperties.Beacon settings;
    private final ClientAddress clients;
    private final Map<String, Counter> refused = new HashMap<>();

    BeaconGate(IngestProperties properties, ClientAddress clients, MeterRegistry registry) {
        this.settings = properties.beacon();
        this.clients = clients;
        for (IngestProperties.PublishableKey k : settings.keys()) {
            originsByKey.put(k.key(), Set.copyOf(k.origins()));
            keyBuckets.put(k.key(), bucket(settings.keyRate(), settings.keyBurst()));
        }
        this.clientBuckets =
                Caffeine.newBuilder().maximumSize(settings.clientsTracked()).build();
        for (String reason : new String[] {"key", "origin", "rate"}) {
            refused.put(
                    reason,
                    Counter.builder(Meters.INGEST_BEACON_REFUSED.name())
                            .tag("reason", reason)
                            .register(registry));
        }
    }

    /**
     * Whether a beacon with {@code key} may come from {@code origin}; a problem to answer when not.
     * Checked before the body is read.
     */
    @Nullable
    ResponseEntity<ProblemDetail> refuse(@Nullable String key, @Nullable String origin) {
        if (key == null || key.isEmpty()) {
            return refused("key", HttpStatus.UNAUTHORIZED, "unauthorized", "a beacon needs ?key=pk_...");
        }
        if (!key.startsWith(PUBLISHABLE)) {
            return refused(
                    "key",
                    HttpStatus.UNAUTHORIZED,
                    "unauthorized",
                    "a beacon takes a publishable key (pk_...); a secret key must never be put in a page");
        }
        Set<String> origins = originsByKey.get(key);
        if (origins == null) {
            return refused("key", HttpStatus.UNAUTHORIZED, "unauthorized", "the key is not a known publishable key");
        }
        if (origin == null) {
            return refused(
                    "origin", HttpStatus.FORBIDDEN, "forbidden-origin", "a beacon must come from a page (no Origin)");
        }
        if (!origins.contains(origin)) {
            return refused(
                    "origin", HttpStatus.FORBIDDEN, "forbidden-origin", "this key may not be used from " + origin);
        }
        return null;
    }

    /**
     * Takes {@code events} from the client's bucket and the key's, or neither; a 429 with
     * {@code Retry-After} when either is short. {@code key} has passed {@link #refuse}.
     */
    @Nullable
    ResponseEntity<ProblemDetail> admit(String key, int events, String peer, @Nullable String forwardedFor) {
        String client = clients.client(peer, forwardedFor);
        Bucket perClient = clientBuckets.get(
                client == null ? peer : client, c -> bucket(settings.clientRate(), settings.clientBurst()));
        ConsumptionProbe byClient = perClient.tryConsumeAndReturnRemaining(events);
        if (!byClient.isConsumed()) {
            return tooMany("this client sends faster than " + settings.clientRate() + " events a second", byClient);
        }
        ConsumptionProbe byKey = keyBuckets.get(key).tryConsumeAndReturnRemaining(events);
        if (!byKey.isConsumed()) {
            perClient.addTokens(events); // refused as a whole: the client keeps what it did not spend
            return tooMany("this key sends faster than " + settings.keyRate() + " events a second", byKey);
        }
        return null;
    }

    private ResponseEntity<ProblemDetail> tooMany(String detail, ConsumptionProbe probe) {
        refused.get("rate").increment();
        long seconds = Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L);
        ResponseEntity<ProblemDetail> problem = ApiProblem.of(HttpStatus.TOO_MANY_REQUESTS, "rate-limited", detail);
        return ResponseEntity.status(problem.getStatusCode())
                .headers(problem.getHeaders())
                .header(HttpHeaders.RETRY_AFTER, Long.toString(seconds))
                .body(problem.getBody());
    }

    private ResponseEntity<ProblemDetail> refused(String reason, HttpStatus status, String type, String detail) {
        refused.get(reason).increment();
        return ApiProblem.of(status, type, detail);
    }

    private static Bucket bucket(long perSecond, long burst) {
        return Bucket.builder()
                .addLimit(Bandwidth.builder()
                        .capacity(burst)
                        .refillGreedy(perSecond, Duration.ofSeconds(1))
                        .build())
                .build();
    }
}
