package dev.tideline.console.collect;

import java.net.ConnectException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/** Reads the services' own meters from their {@code /actuator/prometheus}, each within a second and a half. */
public final class Scraper {

    private static final Duration TIMEOUT = Duration.ofMillis(1500);

    private final boolean everyAddress;
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(TIMEOUT)
            .version(HttpClient.Version.HTTP_1_1)
            .build();

    /**
     * One service instance as the console last saw it.
     *
     * @param meters its meters; null when it did not answer
     * @param error why it did not, for a person
     */
    public record Instance(URI url, @Nullable Prometheus meters, @Nullable String error) {

        public boolean reachable() {
            return meters != null;
        }
    }

    /**
     * @param everyAddress read every address a URL's host name resolves to, as one instance each (a
     *     name with a record per task or container); otherwise the URL as given
     */
    public Scraper(boolean everyAddress) {
        this.everyAddress = everyAddress;
    }

    /**
     * Every URL's instances at once, so that a refresh waits for the slowest, not for the sum: on AWS,
     * a name resolves to one address per task, and a task that does not answer costs its timeout.
     */
    public List<Instance> scrape(List<URI> urls) {
        List<CompletableFuture<Instance>> each = urls.stream()
                .flatMap(u -> everyAddress ? addresses(u).stream() : java.util.stream.Stream.of(u))
                .map(this::read)
                .toList();
        return each.stream().map(CompletableFuture::join).toList();
    }

    /** One URL per address of the URL's host, the host replaced by the address; the URL itself if it has none. */
    static List<URI> addresses(URI url) {
        try {
            return java.util.Arrays.stream(InetAddress.getAllByName(url.getHost()))
                    .map(a -> withHost(url, a))
                    .distinct()
                    .toList();
        } catch (UnknownHostException e) {
            return List.of(url);
        }
    }

    private static URI withHost(URI url, InetAddress address) {
        String host = address instanceof Inet6Address ? "[" + address.getHostAddress() + "]" : address.getHostAddress();
        return URI.create(url.getScheme() + "://" + host + ":" + url.getPort());
    }

    private CompletableFuture<Instance> read(URI base) {
        URI url = base.resolve("/actuator/prometheus");
        return http.sendAsync(
                        HttpRequest.newBuilder(url).timeout(TIMEOUT).GET().build(),
                        HttpResponse.BodyHandlers.ofString())
                .handle((response, failure) -> failure == null ? answered(base, response) : unreachable(base, failure));
    }

    private static Instance answered(URI base, HttpResponse<String> response) {
        if (response.statusCode() != 200) {
            return new Instance(base, null, "answered " + response.statusCode());
        }
        return new Instance(base, Prometheus.parse(response.body(), Scraper::shown), null);
    }

    private static Instance unreachable(URI base, Throwable failure) {
        Throwable e =
                failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        String why;
        if (unresolved(e)) {
            why = "unreachable: no such host";
        } else if (e instanceof ConnectException) {
            why = "unreachable: connection refused";
        } else if (e instanceof HttpTimeoutException) {
            why = "unreachable: no answer within " + TIMEOUT.toMillis() + " ms";
        } else {
            why = "unreachable: " + Failures.describe(e);
        }
        return new Instance(base, null, why);
    }

    /** Whether the host's name did not resolve: the client's connect failure says so only in a cause. */
    private static boolean unresolved(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnknownHostException || t instanceof UnresolvedAddressException) {
                return true;
            }
        }
        return false;
    }

    /** The series the console shows: Tideline's own meters and the HTTP latency histogram. */
    static boolean shown(String line) {
        return line.startsWith("tideline_") || line.startsWith("http_server_requests_seconds_bucket");
    }

    /** Each instance as the page lists it. */
    static List<Snapshot.Worker> workers(List<Scraper.Instance> instances) {
        return instances.stream()
                .map(i -> new Snapshot.Worker(i.url().toString(), i.reachable(), i.error()))
                .toList();
    }

    /** The largest of a value read from each instance that answered; empty when none has it. */
    static Optional<Double> largest(List<Scraper.Instance> instances, Function<Prometheus, OptionalDouble> read) {
        return instances.stream()
                .filter(Scraper.Instance::reachable)
                .map(i -> read.apply(i.meters()))
                .filter(OptionalDouble::isPresent)
                .map(OptionalDouble::getAsDouble)
                .max(Comparator.naturalOrder());
    }
}
