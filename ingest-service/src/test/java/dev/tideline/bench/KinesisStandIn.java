package dev.tideline.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tideline.model.shard.ShardMap;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A Kinesis endpoint with AWS's behaviour where the benchmark needs it, and at little CPU: it
 * answers {@code ListShards}, {@code PutRecords} and {@code PutRecord} (AWS JSON 1.1) after a
 * latency drawn as AWS's is (log-normal, median {@code medianMillis}, a tail of some tens of
 * milliseconds), and enforces each shard's write limits, 1,000 records and 1 MiB per second (data
 * and partition key), refusing an entry past them with {@code ProvisionedThroughputExceededException}
 * as AWS does. It stores nothing. It exists so the ingest benchmark can show the pipeline's own
 * ceiling beside the HTTP ceiling; every test and {@code ./tideline up} run on kinesis-mock.
 *
 * <p>Clients must speak JSON, not CBOR: the SDK does with the system property {@code
 * aws.cborEnabled=false} set while the client is built.
 */
final class KinesisStandIn implements AutoCloseable {

    static final int RECORDS_PER_SECOND = 1_000;
    static final int BYTES_PER_SECOND = 1 << 20;
    private static final String TARGET = "Kinesis_20131202.";
    private static final BigInteger HASH_SPACE = ShardMap.MAX_HASH_KEY.add(BigInteger.ONE);
    private static final double LATENCY_SIGMA = 0.35;

    private final JsonMapper json = JsonMapper.builder().build();
    private final HttpServer server;
    private final ExecutorService handlers;
    private final ScheduledExecutorService answers;
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    private final List<Shard> shards = new ArrayList<>();
    private final double medianMillis;
    private final AtomicLong throttled = new AtomicLong();

    /**
     * @param shardCount the stream's shards, splitting the hash-key space evenly
     * @param medianMillis the median latency of an answer
     */
    KinesisStandIn(int shardCount, double medianMillis) throws IOException {
        this.medianMillis = medianMillis;
        for (int i = 0; i < shardCount; i++) {
            BigInteger start = HASH_SPACE.multiply(BigInteger.valueOf(i)).divide(BigInteger.valueOf(shardCount));
            BigInteger end = HASH_SPACE
                    .multiply(BigInteger.valueOf(i + 1L))
                    .divide(BigInteger.valueOf(shardCount))
                    .subtract(BigInteger.ONE);
            shards.add(new Shard(String.format("shardId-%012d", i), start, end));
        }
        this.handlers = Executors.newFixedThreadPool(2, r -> counted(r, "kinesis-stand-in"));
        this.answers = Executors.newSingleThreadScheduledExecutor(r -> counted(r, "kinesis-stand-in-answers"));
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 4096);
        server.createContext("/", this::handle);
        server.setExecutor(handlers);
        server.start();
        // The server's own dispatcher thread is not made by a factory of ours: find it by name.
        Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("HTTP-Dispatcher"))
                .forEach(threads::add);
    }

    private Thread counted(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        threads.add(t);
        return t;
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The CPU its own threads have spent, so the benchmark can keep it apart from the service's. */
    long cpuNanos() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        return threads.stream()
                .mapToLong(t -> Math.max(0, mx.getThreadCpuTime(t.getId())))
                .sum();
    }

    /** Entries refused for a shard's write limits since it started. */
    long throttled() {
        return throttled.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        String operation = target == null ? "" : target.substring(target.indexOf('.') + 1);
        try {
            JsonNode request = json.readTree(body);
            switch (operation) {
                case "ListShards" -> later(exchange, 200, listShards());
                case "PutRecords" -> later(exchange, 200, putRecords(request));
                case "PutRecord" -> {
                    ObjectNode one = putRecord(request.get("PartitionKey").asString(), data(request));
                    later(exchange, one.has("ErrorCode") ? 400 : 200, one.has("ErrorCode") ? error(one) : one);
                }
                default -> answer(exchange, 400, unknown(target));
            }
        } catch (RuntimeException e) {
            answer(exchange, 400, problem("SerializationException", String.valueOf(e.getMessage())));
        }
    }

    private ObjectNode listShards() {
        ObjectNode answer = json.createObjectNode();
        ArrayNode list = answer.putArray("Shards");
        for (Shard s : shards) {
            ObjectNode shard = list.addObject().put("ShardId", s.id);
            shard.putObject("HashKeyRange")
                    .put("StartingHashKey", s.start.toString())
                    .put("EndingHashKey", s.end.toString());
            shard.putObject("SequenceNumberRange").put("StartingSequenceNumber", "0");
        }
        return answer;
    }

    private ObjectNode putRecords(JsonNode request) {
        ObjectNode answer = json.createObjectNode();
        ArrayNode results = answer.putArray("Records");
        int failed = 0;
        for (JsonNode entry : request.get("Records")) {
            ObjectNode result = putRecord(entry.get("PartitionKey").asString(), data(entry));
            failed += result.has("ErrorCode") ? 1 : 0;
            results.add(result);
        }
        return answer.put("FailedRecordCount", failed).put("EncryptionType", "NONE");
    }

    private ObjectNode putRecord(String partitionKey, byte[] data) {
        Shard shard = shardOf(partitionKey);
        int bytes = data.length + partitionKey.getBytes(StandardCharsets.UTF_8).length;
        ObjectNode result = json.createObjectNode();
        if (!shard.admit(bytes, System.nanoTime())) {
            throttled.incrementAndGet();
            return result.put("ErrorCode", "ProvisionedThroughputExceededException")
                    .put("ErrorMessage", "Rate exceeded for shard " + shard.id + " in stream tideline-events.");
        }
        return result.put("ShardId", shard.id).put("SequenceNumber", shard.next());
    }

    private static byte[] data(JsonNode entry) {
        return Base64.getDecoder().decode(entry.get("Data").asString());
    }

    private Shard shardOf(String partitionKey) {
        BigInteger hash = ShardMap.hashKey(partitionKey);
        for (Shard s : shards) {
            if (hash.compareTo(s.end) <= 0) {
                return s;
            }
        }
        return shards.get(shards.size() - 1);
    }

    private ObjectNode error(ObjectNode entry) {
        return problem(
                entry.get("ErrorCode").asString(), entry.get("ErrorMessage").asString());
    }

    private ObjectNode unknown(String target) {
        return problem(
                "UnknownOperationException",
                target != null && target.startsWith(TARGET) ? target + " is not served by the stand-in" : "no target");
    }

    private ObjectNode problem(String type, String message) {
        return json.createObjectNode().put("__type", type).put("message", message);
    }

    /** Answers after a latency drawn like AWS's: log-normal around the median. */
    private void later(HttpExchange exchange, int status, ObjectNode body) {
        double millis = medianMillis
                * Math.exp(LATENCY_SIGMA * ThreadLocalRandom.current().nextGaussian());
        answers.schedule(
                () -> {
                    try {
                        answer(exchange, status, body);
                    } catch (IOException e) {
                        exchange.close(); // the client went away
                    }
                },
                (long) (millis * 1000),
                TimeUnit.MICROSECONDS);
    }

    private void answer(HttpExchange exchange, int status, ObjectNode body) throws IOException {
        byte[] bytes = json.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        answers.shutdownNow();
        handlers.shutdownNow();
    }

    /** One shard: its hash-key range, its sequence, and its two token buckets (records and bytes). */
    static final class Shard {
        private final String id;
        private final BigInteger start;
        private final BigInteger end;
        private final AtomicLong sequence = new AtomicLong();
        private double records = RECORDS_PER_SECOND;
        private double bytes = BYTES_PER_SECOND;
        private long refilledAt;

        Shard(String id, BigInteger start, BigInteger end) {
            this(id, start, end, System.nanoTime());
        }

        Shard(String id, BigInteger start, BigInteger end, long now) {
            this.id = id;
            this.start = start;
            this.end = end;
            this.refilledAt = now;
        }

        /** Takes one record of {@code size} bytes from the buckets, refilled for the time passed. */
        synchronized boolean admit(int size, long now) {
            double seconds = (now - refilledAt) / 1e9;
            refilledAt = now;
            records = Math.min(RECORDS_PER_SECOND, records + seconds * RECORDS_PER_SECOND);
            bytes = Math.min(BYTES_PER_SECOND, bytes + seconds * BYTES_PER_SECOND);
            if (records < 1 || bytes < size) {
                return false;
            }
            records -= 1;
            bytes -= size;
            return true;
        }

        String next() {
            return String.format("%056d", sequence.incrementAndGet());
        }
    }
}
