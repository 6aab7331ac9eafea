package dev.tideline.localaws.junit;

import dev.tideline.localaws.Endpoints;
import dev.tideline.localaws.KclLeases;
import dev.tideline.localaws.LocalAwsClients;
import dev.tideline.localaws.Provisioner;
import dev.tideline.localaws.Signals;
import dev.tideline.model.names.ResourceNames;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.kinesis.common.InitialPositionInStream;

/**
 * What a test class gets from {@link LocalAwsExtension}: the shared stack's endpoints, a set of
 * resources of its own, already provisioned, and clients. Thread-safe.
 */
public final class LocalAws {

    private final Endpoints endpoints;
    private final ResourceNames names;
    private final LocalAwsClients clients;

    private final ProcessHandle kinesisProcess;

    LocalAws(Endpoints endpoints, ResourceNames names, ProcessHandle kinesisProcess) {
        this.endpoints = endpoints;
        this.names = names;
        this.clients = new LocalAwsClients(endpoints);
        this.kinesisProcess = kinesisProcess;
    }

    /** The resources {@code names} on a stack started outside JUnit, e.g. by a benchmark. */
    public static LocalAws on(dev.tideline.localaws.LocalAwsStack stack, ResourceNames names) {
        return new LocalAws(stack.endpoints(), names, stack.kinesisProcess());
    }

    /**
     * Freezes the Kinesis server with SIGSTOP: connections stay open and calls hang, as when a
     * network partition or an overloaded endpoint stops answering. Nothing is lost.
     */
    public void pauseKinesis() {
        signal("STOP");
    }

    /** Thaws the Kinesis server after {@link #pauseKinesis()}; it answers what waited. */
    public void resumeKinesis() {
        signal("CONT");
    }

    private void signal(String name) {
        Signals.send(kinesisProcess.pid(), name);
    }

    public Endpoints endpoints() {
        return endpoints;
    }

    /** This test class's stream, tables and bucket; the stream is ACTIVE. */
    public ResourceNames names() {
        return names;
    }

    public LocalAwsClients clients() {
        return clients;
    }

    /**
     * Spring Boot arguments that run a service as on AWS, with no profile, against this stack: the
     * region, credentials and endpoints of the embedded servers, and the CloudWatch registry made but
     * publishing nothing, to nowhere.
     */
    public List<String> noProfileArguments() {
        return List.of(
                "--server.port=0",
                "--spring.cloud.aws.region.static=" + Endpoints.REGION.id(),
                "--spring.cloud.aws.credentials.access-key=" + Endpoints.ACCESS_KEY,
                "--spring.cloud.aws.credentials.secret-key=" + Endpoints.SECRET_KEY,
                "--spring.cloud.aws.kinesis.endpoint=" + endpoints.kinesis(),
                "--spring.cloud.aws.dynamodb.endpoint=" + endpoints.dynamoDb(),
                "--spring.cloud.aws.s3.endpoint=" + endpoints.s3(),
                "--spring.cloud.aws.cloudwatch.enabled=true",
                "--spring.cloud.aws.cloudwatch.endpoint=http://127.0.0.1:1",
                "--management.cloudwatch.metrics.export.enabled=false");
    }

    /** Arguments that point the ingest service (local profile) at this stack's stream. */
    public List<String> ingestArguments() {
        return List.of(
                "--spring.cloud.aws.region.static=" + Endpoints.REGION.id(),
                "--spring.cloud.aws.kinesis.endpoint=" + endpoints.kinesis(),
                "--tideline.ingest.stream=" + names.stream());
    }

    /** Arguments that make the processor (local profile) a worker of this stack's stream and table. */
    public List<String> processorArguments(String workerId) {
        return List.of(
                "--spring.cloud.aws.region.static=" + Endpoints.REGION.id(),
                "--spring.cloud.aws.kinesis.endpoint=" + endpoints.kinesis(),
                "--spring.cloud.aws.dynamodb.endpoint=" + endpoints.dynamoDb(),
                "--tideline.processor.kcl.stream=" + names.stream(),
                "--tideline.processor.kcl.application=" + names.processorApp(),
                "--tideline.processor.table=" + names.aggregatesTable(),
                "--tideline.processor.kcl.worker-id=" + workerId);
    }

    /**
     * Arguments that make the processor's rebuild command (local profile) rebuild this stack's
     * aggregates from its bucket, after its archiver's checkpoints, copying objects to {@code workDir}.
     */
    public List<String> rebuildArguments(java.nio.file.Path workDir) {
        List<String> out = new java.util.ArrayList<>(processorArguments("rebuild"));
        out.addAll(List.of(
                "--spring.cloud.aws.s3.endpoint=" + endpoints.s3(),
                "--tideline.rebuild.bucket=" + names.bucket(),
                "--tideline.rebuild.archiver-application=" + names.archiverApp(),
                "--tideline.rebuild.work-dir=" + workDir.toAbsolutePath()));
        return out;
    }

    /** Arguments that make the archiver (local profile) a worker of this stack's stream, writing to its bucket. */
    public List<String> archiverArguments(String workerId) {
        return List.of(
                "--spring.cloud.aws.region.static=" + Endpoints.REGION.id(),
                "--spring.cloud.aws.kinesis.endpoint=" + endpoints.kinesis(),
                "--spring.cloud.aws.dynamodb.endpoint=" + endpoints.dynamoDb(),
                "--spring.cloud.aws.s3.endpoint=" + endpoints.s3(),
                "--tideline.archiver.kcl.stream=" + names.stream(),
                "--tideline.archiver.kcl.application=" + names.archiverApp(),
                "--tideline.archiver.bucket=" + names.bucket(),
                "--tideline.archiver.kcl.worker-id=" + workerId);
    }

    /**
     * The archiver from its built jar ({@link ServiceJvm#startJar}) as worker {@code workerId},
     * flushing every 2 s, so that a test sees objects soon; its log is named
     * {@code <stream>-<workerId>}.
     */
    public ServiceJvm startArchiverJar(String workerId) {
        List<String> arguments = new ArrayList<>(archiverArguments(workerId));
        arguments.add("--tideline.archiver.buffer.interval=2s");
        return ServiceJvm.startJar("archiver-service", names.stream() + "-" + workerId, arguments);
    }

    /** The status a service on {@code port} answers {@code GET path} with. */
    public static int status(int port, String path) throws IOException, InterruptedException {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    /**
     * Deletes this class's stream and creates it again with {@code shards} shards: new shards under
     * the old shard ids, as after an operator's mistake. Returns once the new stream is active.
     */
    public void recreateStream(int shards) {
        try (KinesisClient kinesis = clients.kinesis()) {
            Provisioner.recreateStream(kinesis, names.stream(), shards);
        }
    }

    /**
     * Creates the lease table and leases of a KCL application on this class's stream, so that its
     * workers start in under a second instead of after KCL's random initial delay.
     */
    public void precreateLeases(String application, InitialPositionInStream initialPosition) {
        try (KinesisAsyncClient kinesis = clients.kinesisAsync();
                DynamoDbAsyncClient dynamo = clients.dynamoDbAsync()) {
            KclLeases.precreate(kinesis, dynamo, application, names.stream(), initialPosition);
        }
    }
}
