package dev.tideline.localaws.up;

import dev.tideline.localaws.PrometheusText;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Random;
import java.util.StringJoiner;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ./tideline demo}: posts a synthetic clickstream to the ingest service and prints, every few
 * seconds, how many events were acknowledged, how many the processor has applied, and its lag.
 */
final class Demo implements Runnable {

    private static final String[] TYPES = {"page_view", "page_view", "page_view", "click", "add_to_cart", "purchase"};
    private static final int BATCH = 100;
    private static final Duration REPORT_EVERY = Duration.ofSeconds(3);

    private final URI ingest;
    private final URI processor;
    private final URI archiver;
    private final int eventsPerSecond;
    private final PrintStream out;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Random random = new Random();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();

    Demo(int ingestPort, int processorPort, int archiverPort, int eventsPerSecond, PrintStream out) {
        this.archiver = URI.create("http://127.0.0.1:" + archiverPort + "/actuator/prometheus");
        this.ingest = URI.create("http://127.0.0.1:" + ingestPort + "/v1/events/batch");
        this.processor = URI.create("http://127.0.0.1:" + processorPort + "/actuator/prometheus");
        this.eventsPerSecond = eventsPerSecond;
        this.out = out;
    }

    @Override
    public void run() {
        out.printf("Demo: posting about %d events/s for 500 users; Ctrl-C stops everything.%n", eventsPerSecond);
        long pause = Math.max(1, 1000L * BATCH / eventsPerSecond);
        long nextReport = System.nanoTime() + REPORT_EVERY.toNanos();
        while (!Thread.currentThread().isInterrupted()) {
            long started = System.nanoTime();
            post();
            if (System.nanoTime() >= nextReport) {
                report();
                nextReport = System.nanoTime() + REPORT_EVERY.toNanos();
            }
            try {
                // The demo's send rate: the rest of this batch's share of a second.
                Thread.sleep(Math.max(0, pause - (System.nanoTime() - started) / 1_000_000));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void post() {
        StringJoiner body = new StringJoiner(",", "[", "]");
        for (int i = 0; i < BATCH; i++) {
            body.add(String.format(
                    "{\"user_id\":\"demo-user-%d\",\"event_type\":\"%s\",\"page\":\"/products/%d\"}",
                    random.nextInt(500), TYPES[random.nextInt(TYPES.length)], random.nextInt(40)));
        }
        try {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(ingest)
                            .timeout(Duration.ofSeconds(30))
                            .header("Content-Type", "application/json")
                            .header("X-Api-Key", Up.LOCAL_API_KEY)
                            .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 200) {
                sent.addAndGet(number(response.body(), "\"accepted\":(\\d+)"));
                refused.addAndGet(number(response.body(), "\"failed\":(\\d+)"));
            } else {
                refused.addAndGet(BATCH);
            }
        } catch (java.io.IOException e) {
            refused.addAndGet(BATCH);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void report() {
        String processed = scrape(processor);
        String archived = scrape(archiver);
        out.printf(
                "sent %,d (refused %,d) | processor: applied %,d, client retries dropped %,d, lag %,.0f ms"
                        + " | archiver: %,d events in %,d objects, freshness %,.1f s%n",
                sent.get(),
                refused.get(),
                (long) PrometheusText.sum(processed, "tideline_processor_records_total", "outcome=\"applied\""),
                (long) PrometheusText.sum(processed, "tideline_processor_records_total", "outcome=\"duplicate\""),
                PrometheusText.max(processed, "tideline_processor_iterator_age_seconds") * 1000,
                (long) PrometheusText.sum(archived, "tideline_archiver_records_total", "outcome=\"archived\""),
                (long) PrometheusText.max(archived, "tideline_archiver_objects_total"),
                PrometheusText.max(archived, "tideline_archiver_freshness_seconds"));
    }

    private String scrape(URI metrics) {
        try {
            return http.send(
                            HttpRequest.newBuilder(metrics)
                                    .timeout(Duration.ofSeconds(5))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
        } catch (java.io.IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private static long number(String body, String regex) {
        Matcher m = Pattern.compile(regex).matcher(body);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }
}
