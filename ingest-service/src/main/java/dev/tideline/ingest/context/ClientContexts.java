package dev.tideline.ingest.context;

import dev.tideline.model.event.ClientContext;
import java.util.Set;
import nl.basjes.parse.useragent.UserAgent;
import nl.basjes.parse.useragent.UserAgentAnalyzer;
import org.jspecify.annotations.Nullable;

/**
 * Makes the {@link ClientContext} stamped on every event from what the request says about its
 * client. User agents are parsed by Yauaa, with a cache, since a site's visitors share a few
 * thousand of them. Thread-safe.
 */
public final class ClientContexts {

    /** Yauaa's device classes of things that are not a person at a browser. */
    static final Set<String> ROBOTS = Set.of("Robot", "Robot Mobile", "Robot Imitator", "Spy", "Hacker");

    private static final String UNKNOWN = "Unknown";

    private final @Nullable UserAgentAnalyzer analyzer;
    private final ClientAddress addresses;

    /**
     * @param parseUserAgent false to stamp the raw user agent only (no browser, OS, device, robot)
     */
    public ClientContexts(boolean parseUserAgent, ClientAddress addresses) {
        this.addresses = addresses;
        this.analyzer = parseUserAgent
                ? UserAgentAnalyzer.newBuilder()
                        .withFields(
                                UserAgent.AGENT_NAME_VERSION_MAJOR,
                                UserAgent.OPERATING_SYSTEM_NAME_VERSION_MAJOR,
                                UserAgent.DEVICE_CLASS)
                        .withCache(10_000)
                        .hideMatcherLoadStats()
                        .immediateInitialization()
                        .build()
                : null;
    }

    /**
     * @param userAgent the {@code User-Agent} header
     * @param peer the address the request came from
     * @param forwardedFor the {@code X-Forwarded-For} header, believed only from a trusted proxy
     */
    public ClientContext of(@Nullable String userAgent, String peer, @Nullable String forwardedFor) {
        String ip = addresses.of(peer, forwardedFor);
        if (analyzer == null || userAgent == null || userAgent.isBlank()) {
            return new ClientContext(userAgent, ip, null, null, null, false);
        }
        UserAgent parsed = analyzer.parse(userAgent);
        String device = known(parsed.getValue(UserAgent.DEVICE_CLASS));
        return new ClientContext(
                userAgent,
                ip,
                known(parsed.getValue(UserAgent.AGENT_NAME_VERSION_MAJOR)),
                known(parsed.getValue(UserAgent.OPERATING_SYSTEM_NAME_VERSION_MAJOR)),
                device,
                device != null && ROBOTS.contains(device));
    }

    private static @Nullable String known(@Nullable String value) {
        return value == null || value.isEmpty() || value.startsWith(UNKNOWN) || value.startsWith("??") ? null : value;
    }
}
