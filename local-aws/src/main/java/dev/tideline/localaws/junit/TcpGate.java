package dev.tideline.localaws.junit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP forwarder on a free loopback port to a server's port, which a test can close to the clients
 * that go through it and open again: an outage of that server as those clients see it, while the
 * server itself runs on for everyone else. Shut, it drops every open connection and every new
 * one at once, so that a client fails fast instead of waiting on a frozen server.
 */
public final class TcpGate implements AutoCloseable {

    private final ServerSocket listener;
    private final int target;
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
    private volatile boolean shut;

    private TcpGate(ServerSocket listener, int target) {
        this.listener = listener;
        this.target = target;
    }

    /** A gate to {@code port} on the loopback address, open. */
    public static TcpGate to(int port) {
        try {
            ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            TcpGate gate = new TcpGate(listener, port);
            Thread acceptor = new Thread(gate::accept, "tcp-gate-" + listener.getLocalPort());
            acceptor.setDaemon(true);
            acceptor.start();
            return gate;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The port clients connect to. */
    public int port() {
        return listener.getLocalPort();
    }

    /** Drops every open connection; new ones are dropped as they come, until {@link #open()}. */
    public void shut() {
        shut = true;
        connections.forEach(TcpGate::quietly);
        connections.clear();
    }

    /** Lets connections through again. */
    public void open() {
        shut = false;
    }

    @Override
    public void close() {
        shut();
        quietly(listener);
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                if (shut) {
                    quietly(client);
                    continue;
                }
                Socket server = new Socket();
                try {
                    server.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), target), 2_000);
                } catch (IOException refused) {
                    // the server refused: so does the gate, by dropping the client
                    quietly(server);
                    quietly(client);
                    continue;
                }
                connections.add(client);
                connections.add(server);
                pipe(client, server);
                pipe(server, client);
            } catch (IOException e) {
                // the listener closed: the loop ends
            }
        }
    }

    private void pipe(Socket from, Socket to) {
        Thread copier = new Thread(
                () -> {
                    try (InputStream in = from.getInputStream();
                            OutputStream out = to.getOutputStream()) {
                        in.transferTo(out);
                    } catch (IOException e) {
                        // either side went away; both are closed below
                    } finally {
                        quietly(from);
                        quietly(to);
                        connections.remove(from);
                        connections.remove(to);
                    }
                },
                "tcp-gate-pipe");
        copier.setDaemon(true);
        copier.start();
    }

    private static void quietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            // already closed
        }
    }
}
