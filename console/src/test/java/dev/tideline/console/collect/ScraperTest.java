package dev.tideline.console.collect;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ScraperTest {

    @Test
    void readsAServicesMetersAndSaysInWordsWhyOneDoesNotAnswer() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/actuator/prometheus", exchange -> {
            byte[] body = "tideline_processor_lag_seconds 0.5\n".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            URI up = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
            URI down = URI.create("http://127.0.0.1:1");

            URI nowhere = URI.create("http://no-such-host.invalid:8081");

            List<Scraper.Instance> instances = new Scraper(false).scrape(List.of(up, down, nowhere));

            assertThat(instances.get(0).reachable()).isTrue();
            assertThat(instances.get(0).meters().max("tideline_processor_lag_seconds"))
                    .hasValue(0.5);
            assertThat(instances.get(1).reachable()).isFalse();
            assertThat(instances.get(1).error()).isEqualTo("unreachable: connection refused");
            assertThat(instances.get(2).error()).isEqualTo("unreachable: no such host");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void readsTheInstancesOfAServiceAtOnce() throws IOException {
        // Each answers only once both requests have arrived: read one after the other, the first
        // would give up waiting for the second and answer 503.
        CountDownLatch both = new CountDownLatch(2);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.createContext("/actuator/prometheus", exchange -> {
            both.countDown();
            boolean together;
            try {
                together = both.await(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                together = false;
            }
            byte[] body = "tideline_processor_lag_seconds 0.5\n".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(together ? 200 : 503, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            URI one = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
            URI other = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");

            List<Scraper.Instance> instances = new Scraper(false).scrape(List.of(one, other));

            assertThat(instances).extracting(Scraper.Instance::url).containsExactly(one, other);
            assertThat(instances).allSatisfy(i -> assertThat(i.error()).isNull());
        } finally {
            server.stop(0);
            ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
        }
    }

    @Test
    void everyAddressOfANameIsAnInstanceOfItsOwn() throws IOException {
        List<URI> expanded = Scraper.addresses(URI.create("http://localhost:8081"));

        List<String> expected = java.util.Arrays.stream(InetAddress.getAllByName("localhost"))
                .map(a -> a.getHostAddress())
                .toList();
        assertThat(expanded).hasSameSizeAs(expected).allSatisfy(u -> {
            assertThat(u.getPort()).isEqualTo(8081);
            assertThat(u.getHost()).isNotEqualTo("localhost");
        });
        assertThat(Scraper.addresses(URI.create("http://no-such-host.invalid:8081")))
                .as("a name that does not resolve stays, to be reported as unreachable")
                .containsExactly(URI.create("http://no-such-host.invalid:8081"));
    }
}
