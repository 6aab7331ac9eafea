package dev.tideline.ingest.config;

import dev.tideline.ingest.publish.PublisherSettings;
import dev.tideline.model.retry.Backoff;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the ingest service, under {@code tideline.ingest}.
 *
 * @param stream the Kinesis stream events are written to
 * @param deadline how long one request may wait for the stream, retries included, before a 503
 * @param linger how long a record may wait for others bound for its shard before it is sent
 * @param maxAggregateBytes bound on one KPL aggregate (Kinesis allows 1 MiB per record)
 * @param maxBuffered bound on bytes of records not yet acknowledged; past it, requests get 503 at once
 * @param maxConcurrentCalls bound on PutRecords calls in flight
 * @param initialBackoff the wait before a failed record's first retry
 * @param maxBackoff the longest wait between a failed record's retries
 * @param shardRefresh how often the shard map is read again even when nothing suggests a reshard
 * @param maxBatchEvents events per batch request (the PutRecords limit)
 * @param maxBatchBody largest batch request body
 * @param maxEventBody largest single-event request body
 * @param auth who may post
 * @param corsOrigins origins whose pages may call the secret-key endpoints; empty for none (browsers
 *     should use the beacon endpoint and a publishable key instead)
 * @param beacon the browser endpoint's keys and limits
 * @param context what is stamped on each event about the client that sent it
 * @param demo whether {@code /demo/} serves the demo shop (the embedded stack turns it on)
 */
@ConfigurationProperties("tideline.ingest")
@Validated
public record IngestProperties(
        @DefaultValue("tideline-events") @NotBlank String stream,
        @DefaultValue("PT10S") @NotNull Duration deadline,
        @DefaultValue("PT0.025S") @NotNull Duration linger,
        @DefaultValue("51200") @Min(1024) @Max(1048576) int maxAggregateBytes,
        @DefaultValue("64MB") @NotNull DataSize maxBuffered,
        @DefaultValue("16") @Min(1) @Max(256) int maxConcurrentCalls,
        @DefaultValue("PT0.05S") @NotNull Duration initialBackoff,
        @DefaultValue("PT2S") @NotNull Duration maxBackoff,
        @DefaultValue("PT60S") @NotNull Duration shardRefresh,
        @DefaultValue("500") @Min(1) @Max(500) int maxBatchEvents,
        @DefaultValue("5MB") @NotNull DataSize maxBatchBody,
        @DefaultValue("64KB") @NotNull DataSize maxEventBody,
        @DefaultValue @Valid Auth auth,
        @DefaultValue List<String> corsOrigins,
        @DefaultValue @Valid Beacon beacon,
        @DefaultValue @Valid Context context,
        @DefaultValue("false") boolean demo)
        implements PublisherSettings {

    @Override
    public long maxBufferedBytes() {
        return maxBuffered.toBytes();
    }

    /** Doubling from {@code initialBackoff} up to {@code maxBackoff}, spread by half either way. */
    @Override
    public Backoff backoff() {
        return new Backoff(initialBackoff, maxBackoff);
    }

    /**
     * @param enabled false only where every caller is trusted
     * @param apiKeys accepted keys, each either {@code sha256:<hex>} of the key or the key itself
     *     (prefer hashes, so the configuration holds no secret)
     */
    public record Auth(@DefaultValue("true") boolean enabled, @DefaultValue List<String> apiKeys) {

        /** A service that would answer 401 to everyone refuses to start instead, saying why. */
        public Auth {
            if (enabled && apiKeys.isEmpty()) {
                throw new IllegalArgumentException("no API key is configured, so every request would get 401:"
                        + " set tideline.ingest.auth.api-keys[0] (TIDELINE_INGEST_AUTH_APIKEYS) to a key, or to"
                        + " sha256:<hex> of it (printf %s \"$KEY\" | sha256sum)");
            }
        }
    }

    /**
     * The browser endpoint, {@code POST /v1/beacon?key=pk_...}.
     *
     * @param keys publishable keys, each good only for the beacon endpoint and only from its origins
     * @param maxBody largest beacon body
     * @param maxEvents events per beacon
     * @param perKey the rate each publishable key may send at
     * @param perClient the rate each client address may send at, whatever its key
     * @param clientsTracked how many client addresses' rates are kept; the least recent are dropped
     */
    public record Beacon(
            @DefaultValue List<@Valid PublishableKey> keys,
            @DefaultValue("64KB") @NotNull DataSize maxBody,
            @DefaultValue("50") @Min(1) @Max(500) int maxEvents,
            @DefaultValue("1000") @Min(1) long keyRate,
            @DefaultValue("2000") @Min(1) long keyBurst,
            @DefaultValue("20") @Min(1) long clientRate,
            @DefaultValue("100") @Min(1) long clientBurst,
            @DefaultValue("100000") @Min(1) int clientsTracked) {

        /** A beacon no bucket could ever admit would be refused forever: say so at start instead. */
        public Beacon {
            if (keyBurst < maxEvents || clientBurst < maxEvents) {
                throw new IllegalArgumentException("tideline.ingest.beacon: each rate's burst must be at least"
                        + " max-events (" + maxEvents + "), or a full beacon could never be admitted");
            }
        }
    }

    /**
     * @param key the key as pages carry it; publishable, not secret, so it must start with {@code pk_}
     * @param origins the page origins allowed to use it, such as {@code https://shop.example}
     */
    public record PublishableKey(
            @NotBlank @jakarta.validation.constraints.Pattern(regexp = "pk_[A-Za-z0-9_-]{4,128}") String key,
            @jakarta.validation.constraints.NotEmpty List<@NotBlank String> origins) {}

    /**
     * @param enabled whether a context is stamped at all
     * @param userAgent whether the user agent is parsed into browser, OS, device class and robot
     * @param anonymizeIp whether client addresses are cut to their network (IPv4 /24, IPv6 /48)
     * @param trustedProxies addresses or CIDR ranges of proxies (the load balancer) whose
     *     {@code X-Forwarded-For} is believed; from anyone else it is ignored
     */
    public record Context(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("true") boolean userAgent,
            @DefaultValue("true") boolean anonymizeIp,
            @DefaultValue List<String> trustedProxies) {}
}
