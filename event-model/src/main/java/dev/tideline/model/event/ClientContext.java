package dev.tideline.model.event;

import org.jspecify.annotations.Nullable;

/**
 * What the ingest service knows about the client that sent an event, stamped on arrival: never
 * sent by the client (the contract refuses these fields in a submitted event), and absent from
 * events ingested before the field existed. Immutable.
 *
 * @param userAgent the request's {@code User-Agent}, cut to {@link #USER_AGENT_MAX} characters
 * @param ip the client's address, anonymized unless configured otherwise (IPv4 /24, IPv6 /48)
 * @param browser the browser's name and major version, as the user-agent parser names it
 * @param os the operating system's name and version
 * @param deviceClass {@code Desktop}, {@code Phone}, {@code Tablet}, {@code Robot}, ...
 * @param bot whether the user agent is a crawler, a monitor or another robot
 */
public record ClientContext(
        @Nullable String userAgent,
        @Nullable String ip,
        @Nullable String browser,
        @Nullable String os,
        @Nullable String deviceClass,
        boolean bot) {

    /** The longest user agent kept; longer ones are cut, never refused. */
    public static final int USER_AGENT_MAX = 512;

    /** The longest parsed field kept. */
    public static final int PARSED_MAX = 64;

    public ClientContext {
        userAgent = cut(userAgent, USER_AGENT_MAX);
        ip = cut(ip, PARSED_MAX);
        browser = cut(browser, PARSED_MAX);
        os = cut(os, PARSED_MAX);
        deviceClass = cut(deviceClass, PARSED_MAX);
    }

    private static @Nullable String cut(@Nullable String s, int max) {
        if (s == null || s.length() <= max) {
            return s;
        }
        int end = Character.isHighSurrogate(s.charAt(max - 1)) ? max - 1 : max;
        return s.substring(0, end);
    }
}
