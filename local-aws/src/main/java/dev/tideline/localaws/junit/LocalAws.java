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

    LocalAws(Endpoints endpoints, ResourceNames names) {
        this.endpoints = endpoints;
        this.names = names;
        this.clients = new LocalAwsClients(endpoints);
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
