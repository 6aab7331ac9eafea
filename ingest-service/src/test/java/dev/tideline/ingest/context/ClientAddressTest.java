package dev.tideline.ingest.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClientAddressTest {

    private final ClientAddress behindBalancer = new ClientAddress(List.of("10.0.0.0/8", "fd00::/8"), true);

    @Test
    void addressesAreCutToTheirNetwork() {
        ClientAddress plain = new ClientAddress(List.of(), true);

        assertThat(plain.of("203.0.113.77", null)).isEqualTo("203.0.113.0");
        assertThat(plain.of("2001:db8:abcd:1234:5678::1", null)).isEqualTo("2001:db8:abcd:0:0:0:0:0");
    }

    @Test
    void theClientsWholeAddressTellsClientsApartWhateverIsStamped() {
        assertThat(behindBalancer.client("10.1.2.3", "198.51.100.9")).isEqualTo("198.51.100.9");
        assertThat(behindBalancer.of("10.1.2.3", "198.51.100.9")).isEqualTo("198.51.100.0");
    }

    @Test
    void anonymizingCanBeTurnedOff() {
        assertThat(new ClientAddress(List.of(), false).of("203.0.113.77", null)).isEqualTo("203.0.113.77");
    }

    @Test
    void forwardedForIsBelievedOnlyFromATrustedProxy() {
        assertThat(behindBalancer.of("10.1.2.3", "198.51.100.9")).isEqualTo("198.51.100.0");
        assertThat(behindBalancer.of("203.0.113.77", "198.51.100.9")).isEqualTo("203.0.113.0");
    }

    @Test
    void whatTheClientClaimedLeftOfTheProxiesIsIgnored() {
        // The client forged the first entry; the balancer appended the address it saw.
        assertThat(behindBalancer.of("10.1.2.3", "1.1.1.1, 198.51.100.9")).isEqualTo("198.51.100.0");
        // Two trusted hops: the nearest untrusted one is the client.
        assertThat(behindBalancer.of("10.1.2.3", "1.1.1.1, 198.51.100.9, 10.9.9.9"))
                .isEqualTo("198.51.100.0");
    }

    @Test
    void aMalformedForwardedForStopsTheWalk() {
        assertThat(behindBalancer.of("10.1.2.3", "198.51.100.9, evil.example")).isEqualTo("10.1.2.0");
        assertThat(behindBalancer.of("10.1.2.3", "")).isEqualTo("10.1.2.0");
    }

    @Test
    void hostNamesAreNeverLookedUp() {
        assertThat(ClientAddress.literal("localhost")).isNull();
        assertThat(ClientAddress.literal("[::1]")).isNotNull();
    }

    @Test
    void aTrustedProxyThatIsNotARangeStopsTheStart() {
        assertThatThrownBy(() -> new ClientAddress(List.of("10.0.0.0/33"), true))
                .hasMessageContaining("10.0.0.0/33");
        assertThatThrownBy(() -> new ClientAddress(List.of("balancer.internal"), true))
                .hasMessageContaining("balancer.internal");
    }
}
