package dev.tideline.tracker;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * A web site of its own origin ({@code http://127.0.0.1:<port>}), serving one page: a customer's
 * site that embeds the tracker from the ingest service, which is another origin.
 */
final class TestSite implements AutoCloseable {

    private final HttpServer server;
    private volatile String page = "<!doctype html><title>empty</title>";

    private TestSite(HttpServer server) {
        this.server = server;
    }

    static TestSite start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            TestSite site = new TestSite(server);
            server.createContext("/", exchange -> {
                byte[] body = site.page.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
            return site;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String origin() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The shop page: the tracker from {@code ingest}, with {@code key}, for the user in {@code ?user=}. */
    TestSite shop(String ingest, String key) {
        page =
                """
                <!doctype html>
                <html><head><meta charset="utf-8"><title>Test shop</title></head>
                <body>
                <h1>Test shop</h1>
                <button id="buy">Add to cart</button>
                <script src="%1$s/v1/tideline.js"></script>
                <script>
                  tideline.init({ endpoint: '%1$s', key: '%2$s',
                                  userId: new URLSearchParams(location.search).get('user') });
                  document.getElementById('buy').addEventListener('click', function () {
                    tideline.track('add_to_cart', { sku: 'kite' });
                  });
                </script>
                </body></html>
                """
                        .formatted(ingest, key);
        return this;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
