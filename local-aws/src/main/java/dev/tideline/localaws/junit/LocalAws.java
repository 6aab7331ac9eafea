package dev.tideline.localaws.junit;

import dev.tideline.localaws.Endpoints;
import dev.tideline.localaws.KclLeases;
import dev.tideline.localaws.LocalAwsClients;
import dev.tideline.model.names.ResourceNames;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
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
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(kinesisProcess.pid()))
                    .inheritIO()
                    .start();
            if (kill.waitFor() != 0) {
                throw new IllegalStateException("kill -" + name + " failed for pid " + kinesisProcess.pid());
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
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
