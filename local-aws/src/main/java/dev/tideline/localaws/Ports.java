package dev.tideline.localaws;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The ports of the embedded servers.
 *
 * @param kinesisTls kinesis-mock over HTTPS (self-signed), HTTP/2 for enhanced fan-out
 * @param kinesisPlain kinesis-mock over plain HTTP
 */
public record Ports(int kinesisTls, int kinesisPlain, int dynamoDb, int s3) {

    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    /** The fixed local ports of docs/ARCHITECTURE.md, each overridable by an environment variable. */
    public static Ports fixed() {
        return new Ports(
                fromEnv("TIDELINE_KINESIS_TLS_PORT", 4567),
                fromEnv("TIDELINE_KINESIS_PORT", 4568),
                fromEnv("TIDELINE_DYNAMODB_PORT", 8000),
                fromEnv("TIDELINE_S3_PORT", 9000));
    }

    /** Four ports that were free a moment ago, for tests that must not collide with a running stack. */
    public static Ports free() {
        return new Ports(freePort(), freePort(), freePort(), freePort());
    }

    /**
     * A local port that was free a moment ago and that this JVM has not handed out before. The
     * system may hand the same free port to two binds in a row; two servers given it would collide
     * (seen: kinesis-mock's two listeners on one port).
     */
    public static int freePort() {
        while (true) {
            int port;
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = socket.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException("no free local port", e);
            }
            if (HANDED_OUT.add(port)) {
                return port;
            }
        }
    }

    /** The port in environment variable {@code name}, or {@code fallback} when it is unset. */
    public static int fromEnv(String name, int fallback) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a port number, not '" + value + "'", e);
        }
    }

    /**
     * Whether nothing listens on {@code port} on any local address: binding the wildcard address
     * fails when a listener holds the port on any one of them.
     */
    public static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
