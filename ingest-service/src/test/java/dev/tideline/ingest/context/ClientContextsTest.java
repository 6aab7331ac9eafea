package dev.tideline.ingest.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tideline.model.event.ClientContext;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClientContextsTest {

    private static final ClientContexts CONTEXTS = new ClientContexts(true, new ClientAddress(List.of(), true));

    @Test
    void aDesktopBrowserIsAPerson() {
        ClientContext c = CONTEXTS.of(
                "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0"
                        + " Safari/537.36",
                "203.0.113.77",
                null);

        assertThat(c.browser()).isEqualTo("Chrome 156");
        assertThat(c.os()).startsWith("Linux");
        assertThat(c.deviceClass()).isEqualTo("Desktop");
        assertThat(c.bot()).isFalse();
        assertThat(c.ip()).isEqualTo("203.0.113.0");
    }

    @Test
    void aPhoneIsAPhone() {
        ClientContext c = CONTEXTS.of(
                "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko)"
                        + " Version/17.5 Mobile/15E148 Safari/604.1",
                "203.0.113.77",
                null);

        assertThat(c.deviceClass()).isEqualTo("Phone");
        assertThat(c.bot()).isFalse();
    }

    @Test
    void crawlersAreRobots() {
        ClientContext c = CONTEXTS.of(
                "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", "66.249.66.1", null);

        assertThat(c.bot()).isTrue();
        assertThat(c.deviceClass()).startsWith("Robot");
    }

    @Test
    void noUserAgentIsNoRobotAndNoGuess() {
        ClientContext c = CONTEXTS.of(null, "203.0.113.77", null);

        assertThat(c).isEqualTo(new ClientContext(null, "203.0.113.0", null, null, null, false));
    }

    @Test
    void withParsingOffOnlyTheRawUserAgentIsKept() {
        ClientContext c = new ClientContexts(false, new ClientAddress(List.of(), true))
                .of("Mozilla/5.0 (compatible; Googlebot/2.1)", "203.0.113.77", null);

        assertThat(c.userAgent()).isEqualTo("Mozilla/5.0 (compatible; Googlebot/2.1)");
        assertThat(c.browser()).isNull();
        assertThat(c.bot()).isFalse();
    }

    @Test
    void notLoadedUntilTheRulesAreBuiltAndAtOnceWithoutParsing() {
        ClientContexts fresh = new ClientContexts(true, new ClientAddress(List.of(), true));
        assertThat(fresh.loaded()).isFalse();
        await().atMost(Duration.ofMinutes(2)).until(fresh::loaded);

        assertThat(new ClientContexts(false, new ClientAddress(List.of(), true)).loaded())
                .isTrue();
        assertThat(ClientContexts.NONE.loaded()).isTrue();
    }
}
