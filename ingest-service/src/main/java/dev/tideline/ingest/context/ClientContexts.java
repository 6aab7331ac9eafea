package dev.tideline.ingest.context;

import dev.tideline.model.event.ClientContext;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import nl.basjes.parse.useragent.UserAgent;
import nl.basjes.parse.useragent.UserAgentAnalyzer;
import org.jspecify.annotations.Nullable;

/**
 * Makes the {@link ClientContext} stamped on every event from what the request says about its
 * client. User agents are parsed by Yauaa, with a cache, since a site's visitors share a few
 * thousand of them. Yauaa loads its rules for some seconds; it does so on a thread of its own while
 * the service starts, and the service is not ready until it is done ({@link #loaded()}), so it
 * takes no traffic while the rules are still being built. An event that comes before that waits
 * for them. Thread-safe.
 */
public final class ClientContexts {

    /** Yauaa's device classes of things that are not a person at a browser. */
    static final Set<String> ROBOTS = Set.of("Robot", "Robot Mobile", "Robot Imitator", "Spy", "Hacker");

    private static final String UNKNOWN = "Unknown";

    /** Stamps nothing: for a deployment that wants no context on its events. */
    public static final ClientContexts NONE = new ClientContexts();

    private final @Nullable CompletableFuture<UserAgentAnalyzer> analyzer;
    private final @Nullable ClientAddress addresses;

    private ClientContexts() {
        this.analyzer = null;
        this.addresses = null;
    }

    /**
     * @param parseUserAgent false to stamp the raw user agent only (no browser, OS, device, robot)
     */
    public ClientContexts(boolean parseUserAgent, ClientAddress addresses) {
        this.addresses = addresses;
        this.analyzer = parseUserAgent
                ? CompletableFuture.supplyAsync(ClientContexts::analyzer, ClientContexts::loadInBackground)
                : null;
    }

    private static UserAgentAnalyzer analyzer() {
        return UserAgentAnalyzer.newBuilder()
                .withFields(
                        UserAgent.AGENT_NAME_VERSION_MAJOR,
                        UserAgent.OPERATING_SYSTEM_NAME_VERSION_MAJOR,
                        UserAgent.DEVICE_CLASS)
                .withCache(10_000)
                .hideMatcherLoadStats()
                .immediateInitialization()
                .build();
    }

    private static void loadInBackground(Runnable load) {
        Thread t = new Thread(load, "user-agent-rules");
        t.setDaemon(true);
        t.start();
    }

    /** Whether the user-agent rules are loaded; true at once when user agents are not parsed. */
    public boolean loaded() {
        return analyzer == null || (analyzer.isDone() && !analyzer.isCompletedExceptionally());
    }

    /**
     * @param userAgent the {@code User-Agent} header
     * @param peer the address the request came from
     * @param forwardedFor the {@code X-Forwarded-For} header, believed only from a trusted proxy
     * @return the context; null from {@link #NONE}
     */
    public @Nullable ClientContext of(@Nullable String userAgent, String peer, @Nullable String forwardedFor) {
        if (addresses == null) {
            return null;
        }
        String ip = addresses.of(peer, forwardedFor);
        if (analyzer == null || userAgent == null || userAgent.isBlank()) {
            return new ClientContext(userAgent, ip, null, null, null, false);
        }
        UserAgent parsed = analyzer.join().parse(userAgent);
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
