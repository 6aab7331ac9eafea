package dev.tideline.localaws.up;

import dev.tideline.localaws.Endpoints;
import dev.tideline.localaws.KclLeases;
import dev.tideline.localaws.LocalAwsClients;
import dev.tideline.localaws.LocalAwsStack;
import dev.tideline.localaws.Ports;
import dev.tideline.localaws.Provisioner;
import dev.tideline.localaws.Readiness;
import dev.tideline.model.names.ResourceNames;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.kinesis.common.InitialPositionInStream;

/**
 * {@code ./tideline up}: the embedded stack on the fixed local ports, provisioned, and every built
 * service as its own supervised JVM with the {@code local} profile. Runs until Ctrl-C or SIGTERM,
 * then stops the services gracefully and the stack after them. Refuses to start, one line per port,
 * when a port it needs is taken; gives up, naming the service and showing the end of its log, when a
 * service cannot start.
 */
@Command(
        name = "up",
        mixinStandardHelpOptions = true,
        description = "The embedded AWS stack and every service, until Ctrl-C.",
        exitCodeOnInvalidInput = 2)
public final class Up implements Callable<Integer> {

    /** The API key the ingest service's {@code local} profile accepts. */
    static final String LOCAL_API_KEY = "local-dev-key";

    private static final PrintStream OUT = System.out;

    private static final int LOG_LINES_SHOWN = 15;

    @Option(names = "--root", description = "The checkout whose built services to run (default: here).")
    private Path root = Path.of("").toAbsolutePath();

    @Option(
            names = "--data",
            paramLabel = "DIR",
            description = "Keep the stack's data and the logs in DIR across runs.")
    private Path data;

    @Option(names = "--no-services", description = "Only the AWS stack, no service.")
    private boolean noServices;

    @Option(names = "--demo", description = "Also post a synthetic clickstream and print its progress.")
    private boolean demo;

    public static void main(String[] args) {
        System.exit(new CommandLine(new Up()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Path dataDir = data == null ? null : Files.createDirectories(data).toAbsolutePath();
        Options options = new Options(root, dataDir, !noServices, demo);
        Ports ports = Ports.fixed();
        List<Service> found = options.services() ? discover(options.root()) : List.of();
        List<String> taken = PortCheck.taken(wanted(ports, found));
        if (!taken.isEmpty()) {
            taken.forEach(System.err::println);
            return 1;
        }
        return run(options, ports, found);
    }

    private static List<PortCheck.Wanted> wanted(Ports ports, List<Service> services) {
        List<PortCheck.Wanted> wanted = new ArrayList<>(List.of(
                new PortCheck.Wanted(ports.kinesisTls(), "Kinesis, TLS", "TIDELINE_KINESIS_TLS_PORT"),
                new PortCheck.Wanted(ports.kinesisPlain(), "Kinesis", "TIDELINE_KINESIS_PORT"),
                new PortCheck.Wanted(ports.dynamoDb(), "DynamoDB", "TIDELINE_DYNAMODB_PORT"),
                new PortCheck.Wanted(ports.s3(), "S3", "TIDELINE_S3_PORT")));
        for (Service s : services) {
            wanted.add(new PortCheck.Wanted(s.port(), s.name(), s.portVariable()));
        }
        return wanted;
    }

    private static int run(Options options, Ports ports, List<Service> found) throws Exception {
        long begun = System.nanoTime();
        Path logs = Files.createDirectories(
                (options.data() != null ? options.data() : options.root().resolve(".tideline")).resolve("logs"));
        List<ServiceProcess> services = new java.util.concurrent.CopyOnWriteArrayList<>();
        AtomicReference<LocalAwsStack> running = new AtomicReference<>();
        CountDownLatch stopped = new CountDownLatch(1);
        List<Thread> demos = new java.util.concurrent.CopyOnWriteArrayList<>();
        // Registered before anything starts, so that Ctrl-C while starting still stops what has.
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            demos.forEach(Thread::interrupt);
                            shutdown(services, running.get(), stopped);
                        },
                        "tideline-down"));
        OUT.println("Starting the AWS stack (Kinesis, DynamoDB, S3)...");
        LocalAwsStack stack = LocalAwsStack.start(ports, options.data(), logs);
        running.set(stack);
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

        Map<String, String> env = Map.of(
                "TIDELINE_KINESIS_ENDPOINT", endpoints.kinesis().toString(),
                "TIDELINE_DYNAMODB_ENDPOINT", endpoints.dynamoDb().toString(),
                "TIDELINE_S3_ENDPOINT", endpoints.s3().toString());
        for (Service s : found) {
            services.add(new ServiceProcess(s, env, logs.resolve(s.name() + ".log"), OUT));
        }
        services.forEach(ServiceProcess::start);
        ServiceProcess failed = awaitReady(services);
        if (failed != null) {
            return 1; // the shutdown hook stops the rest
        }
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
        return 0;
    }

    private static List<Service> discover(Path root) {
        List<Service> found = new ArrayList<>();
        Service.find(root, "ingest-service", "TIDELINE_INGEST_PORT", 8080).ifPresent(found::add);
        Service.find(root, "processor-service", "TIDELINE_PROCESSOR_PORT", 8081).ifPresent(found::add);
        Service.find(root, "archiver-service", "TIDELINE_ARCHIVER_PORT", 8082).ifPresent(found::add);
        // The console reads a little every 2 s for hours: C2's compiling would cost it more than it saves.
        Service.find(root, "console", "TIDELINE_CONSOLE_PORT", 8090)
                .map(s -> s.jvm("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"))
                .ifPresent(found::add);
        return found;
    }

    private static int port(List<ServiceProcess> services, String name, int otherwise) {
        return services.stream()
                .filter(s -> s.service().name().equals(name))
                .mapToInt(s -> s.service().port())
                .findFirst()
                .orElse(otherwise);
    }

    /**
     * Waits for each service to answer ready, saying what it waits for; the first that exits before
     * it ever was, or is not ready in time, is named with the end of its log, and returned.
     */
    private static ServiceProcess awaitReady(List<ServiceProcess> services) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        for (ServiceProcess s : services) {
            OUT.printf(
                    "Waiting for %s on port %d...%n",
                    s.service().name(), s.service().port());
            Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
            if (Readiness.await(s.service().port(), s::alive, left)) {
                s.ready();
                continue;
            }
            System.err.printf(
                    "%s %s; the last lines of %s:%n",
                    s.service().name(), s.alive() ? "is not ready after 180 s" : "could not start", s.log());
            s.lastLines(LOG_LINES_SHOWN).forEach(line -> System.err.println("  " + line));
            return s;
        }
        return null;
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
        if (services.stream().anyMatch(s -> s.service().name().equals("console"))) {
            OUT.println("Watch it at the console, or with ./tideline status --watch.");
        }
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
        if (stack != null) {
            stack.close();
        }
        OUT.println("Tideline stopped.");
        stopped.countDown();
    }

    /** What {@code up} was asked for. */
    record Options(Path root, Path data, boolean services, boolean demo) {}
}
