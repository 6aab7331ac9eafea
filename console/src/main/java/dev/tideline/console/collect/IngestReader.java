package dev.tideline.console.collect;

import dev.tideline.console.collect.Snapshot.IngestView;
import dev.tideline.model.metrics.Meters;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/** The ingest service's flow, from its instances' meters: outcomes per second, latency, buffer use. */
final class IngestReader {

    private final List<URI> urls;
    private final long bufferLimitBytes;
    private final Scraper scraper;
    private final Rates rates = new Rates();

    IngestReader(List<URI> urls, long bufferLimitBytes, Scraper scraper) {
        this.urls = urls;
        this.bufferLimitBytes = bufferLimitBytes;
        this.scraper = scraper;
    }

    IngestView read(Instant now) {
        List<Scraper.Instance> instances = scraper.scrape(urls);
        long millis = now.toEpochMilli();
        String events = Prometheus.name(Meters.INGEST_EVENTS, "_total");
        Double accepted = rates.perSecond("accepted", total(instances, events, "accepted"), millis);
        Double invalid = rates.perSecond("invalid", total(instances, events, "invalid"), millis);
        Double unavailable = rates.perSecond("unavailable", total(instances, events, "unavailable"), millis);
        NavigableMap<Double, Double> buckets = new TreeMap<>();
        for (Scraper.Instance i : instances) {
            if (i.meters() == null) {
                continue;
            }
            for (Prometheus.Sample s : i.meters().samples()) {
                if (s.name().equals("http_server_requests_seconds_bucket")
                        && s.labels().getOrDefault("uri", "").startsWith("/v1/")
                        && "POST".equals(s.labels().get("method"))
                        && s.labels().containsKey("le")) {
                    buckets.merge(
                            Double.parseDouble(s.labels().get("le").replace("+Inf", "Infinity")),
                            s.value(),
                            Double::sum);
                }
            }
        }
        boolean all = instances.stream().allMatch(Scraper.Instance::reachable);
        Double p50 = all ? toMillis(rates.quantile("latency", 0.5, buckets)) : null;
        Double p99 = all ? toMillis(rates.quantile("latency", 0.99, buckets)) : null;
        rates.keepBuckets("latency", all ? buckets : new TreeMap<>());
        Double buffer = Scraper.largest(instances, m -> m.sum(Prometheus.name(Meters.INGEST_BUFFER_BYTES, "")))
                .orElse(null);
        return new IngestView(
                Scraper.workers(instances), accepted, invalid, unavailable, p50, p99, buffer, bufferLimitBytes);
    }

    private static @Nullable Double total(List<Scraper.Instance> instances, String name, String outcome) {
        if (instances.stream().anyMatch(i -> !i.reachable())) {
            return null;
        }
        double sum = 0;
        for (Scraper.Instance i : instances) {
            sum += i.meters()
                    .sum(name, l -> outcome.equals(l.get(Meters.OUTCOME)))
                    .orElse(0);
        }
        return sum;
    }

    private static @Nullable Double toMillis(@Nullable Double seconds) {
        return seconds == null ? null : seconds * 1000;
    }
}
