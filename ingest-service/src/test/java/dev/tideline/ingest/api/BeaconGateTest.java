package dev.tideline.ingest.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tideline.ingest.config.IngestProperties;
import dev.tideline.ingest.context.ClientAddress;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class BeaconGateTest {

    private static BeaconGate gate(Map<String, String> settings) {
        var source = new MapConfigurationPropertySource(settings);
        source.put("tideline.ingest.auth.api-keys[0]", "secret");
        source.put("tideline.ingest.beacon.keys[0].key", "pk_shop");
        source.put("tideline.ingest.beacon.keys[0].origins[0]", "https://shop.example");
        source.put("tideline.ingest.beacon.max-events", "5");
        IngestProperties properties = new Binder(source).bindOrCreate("tideline.ingest", IngestProperties.class);
        IngestProperties.Context context = properties.context();
        return new BeaconGate(
                properties,
                new ClientAddress(context.trustedProxies(), context.anonymizeIp()),
                new SimpleMeterRegistry());
    }

    @Test
    void aKeyOverItsRateIsRefusedWhicheverClientSends() {
        BeaconGate gate = gate(Map.of(
                "tideline.ingest.beacon.key-rate", "1",
                "tideline.ingest.beacon.key-burst", "12"));

        assertThat(gate.admit("pk_shop", 5, "203.0.113.1", null)).isNull();
        assertThat(gate.admit("pk_shop", 5, "203.0.113.2", null)).isNull();
        var refused = gate.admit("pk_shop", 5, "203.0.113.3", null);

        assertThat(refused).isNotNull();
        assertThat(refused.getStatusCode().value()).isEqualTo(429);
        assertThat(refused.getHeaders().getFirst("Retry-After")).isEqualTo("3");
        assertThat(refused.getBody().getDetail()).isEqualTo("this key sends faster than 1 events a second");
    }

    @Test
    void aClientRefusedByItsKeysRateKeepsItsOwnTokens() {
        BeaconGate gate = gate(Map.of(
                "tideline.ingest.beacon.key-rate", "1",
                "tideline.ingest.beacon.key-burst", "5",
                "tideline.ingest.beacon.client-rate", "1",
                "tideline.ingest.beacon.client-burst", "10"));

        assertThat(gate.admit("pk_shop", 5, "203.0.113.1", null)).isNull(); // the key is spent
        // Client .2 is refused three times for the key's sake: 15 events, more than its own bucket
        // holds; had it paid for them, the last refusal would be its own.
        for (int i = 0; i < 3; i++) {
            assertThat(gate.admit("pk_shop", 5, "203.0.113.2", null).getBody().getDetail())
                    .isEqualTo("this key sends faster than 1 events a second");
        }
    }

    @Test
    void clientsBehindTheBalancerAreToldApartByTheirForwardedAddress() {
        BeaconGate gate = gate(Map.of(
                "tideline.ingest.context.trusted-proxies[0]", "10.0.0.0/8",
                "tideline.ingest.beacon.client-burst", "5"));

        assertThat(gate.admit("pk_shop", 5, "10.0.0.9", "198.51.100.1")).isNull();
        assertThat(gate.admit("pk_shop", 5, "10.0.0.9", "198.51.100.2")).isNull();
        assertThat(gate.admit("pk_shop", 5, "10.0.0.9", "198.51.100.1")).isNotNull();
    }

    @Test
    void originsAreExact() {
        BeaconGate gate = gate(Map.of());

        assertThat(gate.refuse("pk_shop", "https://shop.example")).isNull();
        assertThat(gate.refuse("pk_shop", "https://shop.example.evil.example")).isNotNull();
        assertThat(gate.refuse("pk_shop", "http://shop.example")).isNotNull();
        assertThat(gate.refuse("pk_other", "https://shop.example")).isNotNull();
    }
}
