package dev.tideline.bench;

import dev.tideline.ingest.IngestApplication;
import dev.tideline.localaws.Endpoints;
import dev.tideline.localaws.LocalAwsClients;
import dev.tideline.localaws.LocalAwsStack;
import dev.tideline.localaws.Provisioner;
import dev.tideline.localaws.Readiness;
import dev.tideline.model.names.ResourceNames;
import io.micrometer.core.instrument.MeterRegistry;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code ./tideline bench ingest}: the same closed-loop load against (a) the aggregating pipeline,
 * (b) one PutRecord per event, (c) a publisher that sends nothing, each on a fresh stream of the
 * embedded stack, in one run; (a) and (b) again against {@link KinesisStandIn}, which answers as
 * AWS does (tens of milliseconds, each shard's write limits) at little CPU, so the pipeline's own
 * ceiling shows beside the HTTP ceiling; then the browsers' endpoint, NDJSON beacons of 10 events
 * from 256 clients, with the client context stamped (user agents parsed) and without it. Each mode
 * is measured once its service is ready. Prints events/s, latency, Kinesis records and calls per
 * 1,000 events, and CPU time per 1,000 events of the service (this JVM's, less the load generator's
 * own threads and the stand-in's, which count their CPU) and of the Kinesis engine (kinesis-mock's
 * Node process, or the stand-in's threads).
 */
public final class IngestBench {

    private static final String KEY = "bench-key";
    private static final String PUBLISHABLE = "pk_bench";
    private static final String ORIGIN = "https://shop.example";
    private static final int BEACON_EVENTS = 10;
    private static final String STAND_IN = "-stand-in";
    private static final String IDLE = "idle";
    private static final long IDLE_PAUSE_MILLIS = 100;
    private static final double STAND_IN_MEDIAN_MILLIS =
            Double.parseDouble(System.getProperty("bench.stand-in.median-ms", "20"));
    private static final String DEFAULT_MODES = "aggregating,per-record,null,aggregating-stand-in,per-record-stand-in,"
            + "idle,idle-stand-in,beacon-no-context,beacon,beacon-null-no-context,beacon-null";

    private IngestBench() {}

    public static void main(String[] args) throws Exception {
        int concurrency = Integer.getInteger("bench.concurrency", 1024);
        int beaconConcurrency = Integer.getInteger("bench.beacon.concurrency", 256);
        Duration warmup = Duration.ofSeconds(Integer.getInteger("bench.warmup", 15));
        Duration measure = Duration.ofSeconds(Integer.getInteger("bench.seconds", 20));
        List<Result> results = new ArrayList<>();
        try (LocalAwsStack stack = LocalAwsStack.startOnFreePorts(null)) {
            int run = 0;
            // The modes share this JVM, and under this load its JIT takes minutes: the same mode measured
            // again and again cost 2,470, 850, 720, 460, 280 ms of CPU per 1,000 events before it settled
            // (about 3 minutes in). One unreported pass, against the stand-in so that the HTTP path,
            // the publisher and the SDK all run hot, warms it before any mode is measured.
            Duration jit = Duration.ofSeconds(Integer.getInteger("bench.jit-warmup", 180));
            if (!jit.isZero()) {
                System.out.printf("Warming the JIT for %d s (not measured)...%n", jit.toSeconds());
                onStandIn("aggregating" + STAND_IN, concurrency, jit, Duration.ofSeconds(1));
            }
            for (String mode : System.getProperty("bench.modes", DEFAULT_MODES).split(",")) {
                boolean beacon = mode.startsWith("beacon");
                int clients = mode.startsWith(IDLE) ? 1 : beacon ? beaconConcurrency : concurrency;
                if (mode.endsWith(STAND_IN)) {
                    results.add(onStandIn(mode, clients, warmup, measure));
                    continue;
                }
                ResourceNames names = ResourceNames.DEFAULT.withSuffix("bench-" + (++run));
                new Provisioner(new LocalAwsClients(stack.endpoints())).provision(names, ResourceNames.LOCAL_SHARDS);
                ProcessHandle kinesis = stack.kinesisProcess();
                Target target = new Target(stack.endpoints().kinesis().toString(), () -> cpuNanos(kinesis), () -> 0);
                results.add(runOne(mode, target, names.stream(), clients, warmup, measure));
            }
        }
        print(results, concurrency, beaconConcurrency, measure);
        System.exit(0);
    }

    /** One mode against a stand-in of its own, started for it and stopped after it. */
    private static Result onStandIn(String mode, int clients, Duration warmup, Duration measure) throws Exception {
        try (KinesisStandIn standIn = new KinesisStandIn(ResourceNames.LOCAL_SHARDS, STAND_IN_MEDIAN_MILLIS)) {
            Target target = new Target(standIn.endpoint(), standIn::cpuNanos, standIn::throttled);
            return runOne(mode, target, "bench-stand-in", clients, warmup, measure);
        }
    }

    /**
     * Where the service's Kinesis client goes: kinesis-mock or the stand-in, and how to read that
     * engine's CPU and the entries it refused for a shard's limits.
     */
    private record Target(String endpoint, LongSupplier cpuNanos, LongSupplier throttled) {}

    private static Result runOne(
            String mode, Target target, String stream, int concurrency, Duration warmup, Duration measure)
            throws Exception {
        boolean beacon = mode.startsWith("beacon");
        String publisher = mode.replace(STAND_IN, "");
        if (beacon) {
            publisher = mode.contains("-null") ? "null" : "aggregating";
        } else if (mode.startsWith(IDLE)) {
            publisher = "aggregating";
        }
        boolean standIn = mode.endsWith(STAND_IN);
        if (standIn) {
            // The stand-in speaks JSON; the SDK reads this when the client is built.
            System.setProperty("aws.cborEnabled", "false");
        }
        SpringApplicationBuilder builder = new SpringApplicationBuilder(IngestApplication.class, BenchPublishers.class);
        try (ConfigurableApplicationContext app = builder.run(
                "--server.port=0",
                "--bench.publisher=" + publisher,
                "--tideline.ingest.beacon.keys[0].key=" + PUBLISHABLE,
                "--tideline.ingest.beacon.keys[0].origins[0]=" + ORIGIN,
                "--tideline.ingest.beacon.key-rate=10000000",
                "--tideline.ingest.beacon.key-burst=10000000",
                "--tideline.ingest.beacon.client-rate=10000000",
                "--tideline.ingest.beacon.client-burst=10000000",
                "--tideline.ingest.context.enabled=" + !mode.endsWith("-no-context"),
                "--spring.cloud.aws.region.static=" + Endpoints.REGION.id(),
                "--spring.cloud.aws.credentials.access-key=" + Endpoints.ACCESS_KEY,
                "--spring.cloud.aws.credentials.secret-key=" + Endpoints.SECRET_KEY,
                "--spring.cloud.aws.kinesis.endpoint=" + target.endpoint(),
                "--tideline.ingest.stream=" + stream,
                "--tideline.ingest.auth.api-keys[0]=" + KEY,
                // Prometheus only: an export to CloudWatch would cost CPU in the run that measures it.
                "--spring.cloud.aws.cloudwatch.enabled=false",
                "--management.cloudwatch.metrics.export.enabled=false",
                "--logging.level.root=WARN")) {
            System.clearProperty("aws.cborEnabled");
            int port = ((WebServerApplicationContext) app).getWebServer().getPort();
            MeterRegistry meters = app.getBean(MeterRegistry.class);
            // Ready means the user-agent rules are built too: none of their loading falls in the window.
            if (!Readiness.await(port, () -> true, Duration.ofMinutes(2))) {
                throw new IllegalStateException(mode + ": the service did not become ready");
            }
            Load load = new Load(
                    port, concurrency, beacon ? BEACON_EVENTS : 1, mode.startsWith(IDLE) ? IDLE_PAUSE_MILLIS : 0);
            load.run(warmup);
            double calls0 = meters.counter("tideline.ingest.putrecords.calls").count();
            double records0 = meters.counter("tideline.ingest.kinesis.records").count();
            long perRecordCalls0 = BenchPublishers.PerRecord.CALLS.get();
            long cpu0 = cpuNanos();
            long kinesis0 = target.cpuNanos().getAsLong();
            long throttled0 = target.throttled().getAsLong();
            Load.Stats stats = load.run(measure);
            long kinesisCpu = target.cpuNanos().getAsLong() - kinesis0;
            // The stand-in runs in this JVM: its threads' CPU is the engine's, not the service's.
            long cpu = cpuNanos() - cpu0 - stats.loadCpuNanos() - (standIn ? kinesisCpu : 0);
            long throttled = target.throttled().getAsLong() - throttled0;
            double calls;
            double records;
            if (publisher.equals("per-record")) {
                calls = BenchPublishers.PerRecord.CALLS.get() - perRecordCalls0;
                records = calls;
            } else if (publisher.equals("null")) {
                calls = 0;
                records = 0;
            } else {
                calls = meters.counter("tideline.ingest.putrecords.calls").count() - calls0;
                records = meters.counter("tideline.ingest.kinesis.records").count() - records0;
            }
            return new Result(mode, stats, calls, records, cpu, kinesisCpu, throttled);
        }
    }

    private static long cpuNanos(ProcessHandle process) {
        return process.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static void print(List<Result> results, int concurrency, int beaconConcurrency, Duration measure) {
        System.out.printf(
                Locale.ROOT,
                "%nIngest benchmark: %d s measured per mode; single-event POSTs from %d clients,"
                        + " beacons of %d events from %d%n",
                measure.toSeconds(),
                concurrency,
                BEACON_EVENTS,
                beaconConcurrency);
        System.out.printf(
                Locale.ROOT,
                "%-22s %10s %8s %8s %8s %13s %11s %16s %16s%n",
                "mode",
                "events/s",
                "p50 ms",
                "p99 ms",
                "errors",
                "records/1000",
                "calls/1000",
                "svc cpu ms/1000",
                "kinesis ms/1000");
        for (Result r : results) {
            double k = r.events() / 1000.0;
            System.out.printf(
                    Locale.ROOT,
                    "%-22s %10.0f %8.1f %8.1f %8d %13.1f %11.1f %16.1f %16.1f%n",
                    r.mode,
                    r.eventsPerSecond(),
                    r.stats.p(50),
                    r.stats.p(99),
                    r.stats.errors,
                    r.records / k,
                    r.calls / k,
                    r.cpuNanos / 1e6 / k,
                    r.kinesisCpuNanos / 1e6 / k);
        }
        java.util.Map<String, Result> by = new java.util.HashMap<>();
        results.forEach(r -> by.put(r.mode, r));
        Result c = by.get("null");
        for (String engine : new String[] {"", STAND_IN}) {
            Result a = by.get("aggregating" + engine);
            Result b = by.get("per-record" + engine);
            String against = engine.isEmpty() ? "kinesis-mock" : "the stand-in";
            if (a != null && b != null) {
                System.out.printf(
                        Locale.ROOT,
                        "%n%s: (a)/(b) events/s %.1fx (target >= 10x)%n",
                        against,
                        a.eventsPerSecond() / b.eventsPerSecond());
            }
            if (a != null && c != null) {
                System.out.printf(
                        Locale.ROOT,
                        "%s: (a)/(c) events/s %.0f%% (target >= 60%%), service CPU per event %.2fx (target <= 1.5x)%n",
                        against,
                        100 * a.eventsPerSecond() / c.eventsPerSecond(),
                        (a.cpuNanos / a.events()) / (c.cpuNanos / c.events()));
            }
            if (a != null && !engine.isEmpty()) {
                System.out.printf(
                        Locale.ROOT,
                        "%s: entries refused for a shard's write limits, (a) %d, (b) %d%n",
                        against,
                        a.throttled,
                        b == null ? 0 : b.throttled);
            }
        }
        for (String publisher : new String[] {"", "-null"}) {
            Result on = by.get("beacon" + publisher);
            Result off = by.get("beacon" + publisher + "-no-context");
            if (on != null && off != null) {
                System.out.printf(
                        Locale.ROOT,
                        "beacon%s: the client context costs %.0f%% of the events/s (target <= 25%%) and %.0f%% more"
                                + " CPU per event%n",
                        publisher.isEmpty() ? " to Kinesis" : ", publishing nothing",
                        100 * (1 - on.eventsPerSecond() / off.eventsPerSecond()),
                        100 * ((on.cpuNanos / on.events()) / (off.cpuNanos / off.events()) - 1));
            }
        }
    }

    /** @param cpuNanos the service's CPU: this JVM's, less the load generator's threads' */
    private record Result(
            String mode,
            Load.Stats stats,
            double calls,
            double records,
            long cpuNanos,
            long kinesisCpuNanos,
            long throttled) {

        double events() {
            return stats.events();
        }

        double eventsPerSecond() {
            return stats.events() / (stats.elapsedNanos() / 1e9);
        }
    }

    /**
     * Keeps {@code concurrency} keep-alive connections busy, one request at a time each, every request
     * new events for some of 1,000 users: one to {@code /v1/events}, or a beacon of several as a page
     * sends them, from one of a few dozen browsers; in the idle modes, one client that pauses between
     * events. Plain sockets: the generator must cost little CPU beside the service it measures on the
     * same two cores.
     */
    static final class Load {
        private static final List<String> BROWSERS = browsers();

        private final int port;
        private final int concurrency;
        private final int perRequest;
        private final long pauseMillis;
        private final AtomicLong sequence = new AtomicLong();

        /** @param pauseMillis how long each client waits after an answer before it sends again */
        Load(int port, int concurrency, int perRequest, long pauseMillis) {
            this.port = port;
            this.concurrency = concurrency;
            this.perRequest = perRequest;
            this.pauseMillis = pauseMillis;
        }

        private static List<String> browsers() {
            List<String> agents = new ArrayList<>();
            for (int v = 120; v < 157; v++) {
                agents.add("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/"
                        + v + ".0.0.0 Safari/537.36");
                agents.add("Mozilla/5.0 (iPhone; CPU iPhone OS 17_" + (v % 7)
                        + " like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148"
                        + " Safari/604.1");
            }
            agents.add("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)");
            return agents;
        }

        Stats run(Duration duration) throws InterruptedException {
            long end = System.nanoTime() + duration.toNanos();
            long started = System.nanoTime();
            AtomicLong ok = new AtomicLong();
            AtomicLong errors = new AtomicLong();
            AtomicLong loadCpu = new AtomicLong();
            java.lang.management.ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
            long[][] perThread = new long[concurrency][];
            int[] counts = new int[concurrency];
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < concurrency; t++) {
                int index = t;
                Thread thread = new Thread(() -> {
                    long cpu0 = cpu.getCurrentThreadCpuTime();
                    long[] lat = new long[50_000];
                    int n = 0;
                    while (System.nanoTime() < end && !Thread.currentThread().isInterrupted()) {
                        // A server may close a keep-alive connection (Tomcat does after 100 requests): open another.
                        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
                            socket.setTcpNoDelay(true);
                            var out = socket.getOutputStream();
                            var in = new java.io.BufferedInputStream(socket.getInputStream());
                            boolean open = true;
                            while (open && System.nanoTime() < end) {
                                byte[] request = request(sequence.incrementAndGet());
                                long t0 = System.nanoTime();
                                out.write(request);
                                Response response = readResponse(in);
                                if (n < lat.length) {
                                    lat[n++] = (System.nanoTime() - t0) / 1000;
                                }
                                (response.status() == (perRequest == 1 ? 202 : 204) ? ok : errors).incrementAndGet();
                                open = !response.closes();
                                if (pauseMillis > 0) {
                                    Thread.sleep(pauseMillis); // pacing: the idle modes send one event at a time
                                }
                            }
                        } catch (java.io.IOException e) {
                            errors.incrementAndGet();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                    perThread[index] = lat;
                    counts[index] = n;
                    loadCpu.addAndGet(cpu.getCurrentThreadCpuTime() - cpu0);
                });
                thread.start();
                threads.add(thread);
            }
            for (Thread thread : threads) {
                thread.join();
            }
            long elapsed = System.nanoTime() - started;
            long[] all = new long[Arrays.stream(counts).sum()];
            int at = 0;
            for (int t = 0; t < concurrency; t++) {
                System.arraycopy(perThread[t], 0, all, at, counts[t]);
                at += counts[t];
            }
            return new Stats(ok.get(), errors.get(), elapsed, all, perRequest, loadCpu.get());
        }

        private static String event(long n) {
            return "{\"user_id\":\"user-" + (n % 1000) + "\",\"event_type\":\"page_view\",\"page\":\"/products/"
                    + (n % 5000) + "\",\"referrer\":\"https://example.com/search?q=item\",\"session_id\":\"s-"
                    + (n % 3000) + "\",\"properties\":{\"campaign\":\"autumn\",\"n\":\"" + n + "\"}}";
        }

        private byte[] request(long n) {
            String head;
            byte[] bytes;
            if (perRequest == 1) {
                bytes = event(n).getBytes(java.nio.charset.StandardCharsets.UTF_8);
                head = "POST /v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nX-Api-Key: "
                        + KEY + "\r\nContent-Length: " + bytes.length + "\r\n\r\n";
            } else {
                StringBuilder body = new StringBuilder();
                for (int i = 0; i < perRequest; i++) {
                    body.append(event(n * perRequest + i)).append('\n');
                }
                bytes = body.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
                head = "POST /v1/beacon?key=" + PUBLISHABLE + " HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: " + ORIGIN
                        + "\r\nUser-Agent: " + BROWSERS.get((int) (n % BROWSERS.size()))
                        + "\r\nContent-Type: text/plain;charset=UTF-8\r\nContent-Length: " + bytes.length + "\r\n\r\n";
            }
            byte[] h = head.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            byte[] all = Arrays.copyOf(h, h.length + bytes.length);
            System.arraycopy(bytes, 0, all, h.length, bytes.length);
            return all;
        }

        record Response(int status, boolean closes) {}

        /** Reads one response (Content-Length or chunked): its status, and whether the server closes. */
        private static Response readResponse(java.io.BufferedInputStream in) throws java.io.IOException {
            String status = line(in);
            int code = Integer.parseInt(status.substring(9, 12));
            long length = -1;
            boolean chunked = false;
            boolean closes = false;
            String header;
            while (!(header = line(in)).isEmpty()) {
                String lower = header.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    length = Long.parseLong(header.substring(15).trim());
                } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                    chunked = true;
                } else if (lower.startsWith("connection:") && lower.contains("close")) {
                    closes = true;
                }
            }
            if (chunked) {
                long size;
                while ((size = Long.parseLong(line(in).trim(), 16)) > 0) {
                    in.skipNBytes(size);
                    line(in);
                }
                line(in);
            } else if (length > 0) {
                in.skipNBytes(length);
            }
            return new Response(code, closes);
        }

        private static String line(java.io.BufferedInputStream in) throws java.io.IOException {
            StringBuilder sb = new StringBuilder();
            int c;
            while ((c = in.read()) != -1 && c != '\n') {
                if (c != '\r') {
                    sb.append((char) c);
                }
            }
            if (c == -1 && sb.length() == 0) {
                throw new java.io.EOFException();
            }
            return sb.toString();
        }

        /**
         * {@code ok} requests answered 2xx, each of {@code perRequest} events; {@code loadCpuNanos} the
         * CPU the generator's own threads spent.
         */
        record Stats(long ok, long errors, long elapsedNanos, long[] latencyMicros, int perRequest, long loadCpuNanos) {
            long events() {
                return ok * perRequest;
            }

            double p(int percentile) {
                long[] sorted = latencyMicros.clone();
                Arrays.sort(sorted);
                return sorted.length == 0
                        ? 0
                        : sorted[Math.min(sorted.length - 1, sorted.length * percentile / 100)] / 1000.0;
            }
        }
    }
}
