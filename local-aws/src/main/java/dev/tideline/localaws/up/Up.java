package dev.tideline.localaws.up;

import dev.tideline.localaws.Endpoints;
import dev.tideline.localaws.KclLeases;
import dev.tideline.localaws.LocalAwsClients;
import dev.tideline.localaws.LocalAwsStack;
import dev.tideline.localaws.Ports;
import dev.tideline.localaws.Provisioner;
import dev.tideline.localaws.Readiness;
import dev.tideline.model.names.ResourceNames;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.kinesis.common.InitialPositionInStream;

/**
 * {@code ./tideline up}: the embedded stack on the fixed local ports, provisioned, and every built
 * service as its own supervised JVM with the {@code local} profile. Runs until Ctrl-C or SIGTERM,
 * then stops the services gracefully and the stack after them.
 */
public final class Up {

    /** The API key the ingest service's {@code local} profile accepts. */
    static final String LOCAL_API_KEY = "local-dev-key";

    private static final PrintStream OUT = System.out;

    private Up() {}

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        long begun = System.nanoTime();
        Path logs = Files.createDirectories(
                (options.data() != null ? options.data() : options.root().resolve(".tideline")).resolve("logs"));

        LocalAwsStack stack = LocalAwsStack.start(Ports.fixed(), options.data());
        Endpoints endpoints = stack.endpoints();
        LocalAwsClients clients = new LocalAwsClients(endpoints);
        new Provisioner(clients).provision(ResourceNames.DEFAULT, ResourceNames.LOCAL_SHARDS);
        // KCL waits a random 1-30 s on an empty lease table; with the leases there it starts at once.
        try (KinesisAsyncClient kinesis = clients.kinesisAsync();
                DynamoDbAsyncClient dynamo = clients.dynamoDbAsync()) {
            for (String application :
                    List.of(ResourceNames.DEFAULT.processorApp(), ResourceNames.DEFAULT.archiverApp())) {
                KclLeases.precreate(
                        kinesis,
                        dynamo,
                        application,
                        ResourceNames.DEFAULT.stream(),
                        InitialPositionInStream.TRIM_HORIZON);
            }
        }

        List<ServiceProcess> services = new ArrayList<>();
        if (options.services()) {
            Map<String, String> env = Map.of(
                    "TIDELINE_KINESIS_ENDPOINT", endpoints.kinesis().toString(),
                    "TIDELINE_DYNAMODB_ENDPOINT", endpoints.dynamoDb().toString(),
                    "TIDELINE_S3_ENDPOINT", endpoints.s3().toString());
            for (Service s : discover(options.root())) {
                services.add(new ServiceProcess(s, env, logs.resolve(s.name() + ".log"), OUT));
            }
        }
        CountDownLatch stopped = new CountDownLatch(1);
        List<Thread> demos = new java.util.concurrent.CopyOnWriteArrayList<>();
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            demos.forEach(Thread::interrupt);
                            shutdown(services, stack, stopped);
                        },
                        "tideline-down"));

        services.forEach(ServiceProcess::start);
        awaitReady(services);
        printBanner(endpoints, services, logs, (System.nanoTime() - begun) / 1_000_000);
        if (options.demo()) {
            Thread demo = new Thread(
                    new Demo(
                            port(services, "ingest-service", 8080),
                            port(services, "processor-service", 8081),
                            port(services, "archiver-service", 8082),
                            500,
                            OUT),
                    "tideline-demo");
            demo.setDaemon(true);
            demos.add(demo);
            demo.start();
        }
        stopped.await();
    }

    private static List<Service> discover(Path root) {
        List<Service> found = new ArrayList<>();
        Service.find(root, "ingest-service", "TIDELINE_INGEST_PORT", 8080).ifPresent(found::add);
        Service.find(root, "processor-service", "TIDELINE_PROCESSOR_PORT", 8081).ifPresent(found::add);
        Service.find(root, "archiver-service", "TIDELINE_ARCHIVER_PORT", 8082).ifPresent(found::add);
        return found;
    }

    private static int port(List<ServiceProcess> services, String name, int otherwise) {
        return services.stream()
                .filter(s -> s.service().name().equals(name))
                .mapToInt(s -> s.service().port())
                .findFirst()
                .orElse(otherwise);
    }

    private static void awaitReady(List<ServiceProcess> services) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        for (ServiceProcess s : services) {
            // A service that exits is started again by its ServiceProcess, so only time ends the wait.
            Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
            if (!Readiness.await(s.service().port(), () -> true, left)) {
                OUT.printf(
                        "%s is not ready after 120 s; see its log%n",
                        s.service().name());
            }
        }
    }

    private static void printBanner(Endpoints endpoints, List<ServiceProcess> services, Path logs, long millis) {
        OUT.println();
        OUT.println("Tideline is ready (" + millis + " ms).");
        for (ServiceProcess s : services) {
            OUT.printf(
                    "  %-18s http://127.0.0.1:%d%n",
                    s.service().name(), s.service().port());
        }
        OUT.printf("  %-18s %s (TLS: %s)%n", "Kinesis", endpoints.kinesis(), endpoints.kinesisTls());
        OUT.printf("  %-18s %s%n", "DynamoDB", endpoints.dynamoDb());
        OUT.printf("  %-18s %s%n", "S3", endpoints.s3());
        OUT.printf(
                "  %-18s %s, credentials %s/%s%n",
                "Region", Endpoints.REGION.id(), Endpoints.ACCESS_KEY, Endpoints.SECRET_KEY);
        OUT.printf("  %-18s X-Api-Key: %s%n", "Local API key", LOCAL_API_KEY);
        services.stream()
                .filter(s -> s.service().name().equals("ingest-service"))
                .findFirst()
                .ifPresent(ingest -> OUT.printf(
                        "  %-18s http://127.0.0.1:%d/demo/%s (tideline.js, key pk_local_demo)%n",
                        "Demo shop",
                        ingest.service().port(),
                        services.stream()
                                .filter(s -> s.service().name().equals("processor-service"))
                                .findFirst()
                                .filter(p -> p.service().port() != 8081)
                                .map(p -> "?processor=http://127.0.0.1:"
                                        + p.service().port())
                                .orElse("")));
        OUT.printf("  %-18s %s%n", "Logs", logs);
        OUT.println("Stop with Ctrl-C.");
    }

    private static void shutdown(List<ServiceProcess> services, LocalAwsStack stack, CountDownLatch stopped) {
        OUT.println("Stopping Tideline...");
        List<Thread> stopping = new ArrayList<>();
        for (ServiceProcess s : services) {
            Thread t = new Thread(s::stop, "stop-" + s.service().name());
            t.start();
            stopping.add(t);
        }
        for (Thread t : stopping) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        stack.close();
        OUT.println("Tideline stopped.");
        stopped.countDown();
    }

    /** Command-line options of {@code up}. */
    record Options(Path root, Path data, boolean services, boolean demo) {

        static Options parse(String[] args) throws IOException {
            Path root = Path.of("").toAbsolutePath();
            Path data = null;
            boolean services = true;
            boolean demo = false;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--root" -> root = Path.of(value(args, ++i, "--root"));
                    case "--data" ->
                        data = Files.createDirectories(Path.of(value(args, ++i, "--data")))
                                .toAbsolutePath();
                    case "--no-services" -> services = false;
                    case "--demo" -> demo = true;
                    default ->
                        throw new IllegalArgumentException(
                                "unknown option " + args[i] + "; usage: up [--data DIR] [--no-services] [--demo]");
                }
            }
            return new Options(root, data, services, demo);
        }

        private static String value(String[] args, int i, String option) {
            if (i >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args[i];
        }
    }
}
