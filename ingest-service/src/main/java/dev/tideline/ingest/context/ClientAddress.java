package dev.tideline.ingest.context;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The address of the client behind a request: the peer's, unless the peer is a trusted proxy, in
 * which case the nearest untrusted address of {@code X-Forwarded-For} (read from the right, since
 * everything left of the last proxy's entry is whatever the client claimed). Anonymized by keeping
 * only the network: IPv4 /24, IPv6 /48. Immutable and thread-safe.
 */
public final class ClientAddress {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    private final List<Cidr> trusted;
    private final boolean anonymize;

    /**
     * @param trustedProxies addresses or CIDR ranges, e.g. {@code 10.0.0.0/8}
     * @throws IllegalArgumentException naming an entry that is not an address or range
     */
    public ClientAddress(List<String> trustedProxies, boolean anonymize) {
        this.trusted = trustedProxies.stream().map(Cidr::parse).toList();
        this.anonymize = anonymize;
    }

    /** The client's address as stamped on its events; null when none can be told. */
    public @Nullable String of(String peer, @Nullable String forwardedFor) {
        InetAddress client = resolve(peer, forwardedFor);
        if (client == null) {
            return null;
        }
        return anonymize ? network(client) : client.getHostAddress();
    }

    /** The client's whole address, never anonymized (to tell clients apart); null when none can be told. */
    public @Nullable String client(String peer, @Nullable String forwardedFor) {
        InetAddress client = resolve(peer, forwardedFor);
        return client == null ? null : client.getHostAddress();
    }

    private @Nullable InetAddress resolve(String peer, @Nullable String forwardedFor) {
        InetAddress client = literal(peer);
        if (client != null && forwardedFor != null && isTrusted(client)) {
            String[] hops = forwardedFor.split(",");
            for (int i = hops.length - 1; i >= 0; i--) {
                InetAddress hop = literal(hops[i].trim());
                if (hop == null) {
                    break; // a malformed entry: trust nothing further left of it
                }
                client = hop;
                if (!isTrusted(hop)) {
                    break;
                }
            }
        }
        return client;
    }

    private boolean isTrusted(InetAddress address) {
        for (Cidr c : trusted) {
            if (c.contains(address)) {
                return true;
            }
        }
        return false;
    }

    private static String network(InetAddress address) {
        byte[] bytes = address.getAddress();
        int keep = bytes.length == 4 ? 3 : 6; // /24 and /48
        for (int i = keep; i < bytes.length; i++) {
            bytes[i] = 0;
        }
        try {
            return InetAddress.getByAddress(bytes).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // a 4- or 16-byte array is always an address
        }
    }

    /** An IP literal, never a host name to resolve; null when {@code text} is not one. */
    static @Nullable InetAddress literal(String text) {
        String s = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        if (!IPV4.matcher(s).matches() && !IPV6.matcher(s).matches()) {
            return null;
        }
        try {
            return InetAddress.getByName(s); // a literal: parsed, not looked up
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private record Cidr(byte[] network, int bits) {

        static Cidr parse(String text) {
            int slash = text.indexOf('/');
            InetAddress address = literal(slash < 0 ? text : text.substring(0, slash));
            if (address == null) {
                throw new IllegalArgumentException("trusted proxy '" + text + "' is not an IP address or CIDR range");
            }
            int max = address.getAddress().length * 8;
            int bits;
            try {
                bits = slash < 0 ? max : Integer.parseInt(text.substring(slash + 1));
            } catch (NumberFormatException e) {
                bits = -1;
            }
            if (bits < 0 || bits > max) {
                throw new IllegalArgumentException("trusted proxy '" + text + "' has a prefix outside 0 to " + max);
            }
            return new Cidr(address.getAddress(), bits);
        }

        boolean contains(InetAddress address) {
            byte[] a = address.getAddress();
            if (a.length != network.length) {
                return false;
            }
            int full = bits / 8;
            for (int i = 0; i < full; i++) {
                if (a[i] != network[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xFF << (8 - rest)) & 0xFF;
            return (a[full] & mask) == (network[full] & mask);
        }
    }
}
