package dev.tideline.localaws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.tideline.model.names.ResourceNames;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

class LocalAwsStackIT {

    @Test
    void startsProvisionsServesEveryClientAndLeavesNothingBehind() {
        Ports ports = Ports.free();
        ProcessHandle node;
        ProcessHandle dynalite;
        try (LocalAwsStack stack = LocalAwsStack.start(ports, null)) {
            node = stack.kinesisProcess();
            dynalite = stack.dynamoDbProcess();
            LocalAwsClients clients = new LocalAwsClients(stack.endpoints());
            new Provisioner(clients).provision(ResourceNames.DEFAULT, ResourceNames.LOCAL_SHARDS);

            assertEveryResourceExists(clients, ResourceNames.DEFAULT);
            assertKinesisRoundTrips(clients, ResourceNames.DEFAULT.stream());
            assertDynamoDbRoundTrips(clients, ResourceNames.DEFAULT.aggregatesTable());
            assertS3CreatesOnlyOnce(clients, ResourceNames.DEFAULT.bucket());
            assertThat(node.isAlive()).isTrue();
            assertThat(dynalite.isAlive()).isTrue();
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> !node.isAlive() && !dynalite.isAlive());
        for (int port : List.of(ports.kinesisPlain(), ports.kinesisTls(), ports.dynamoDb(), ports.s3())) {
            assertThat(accepts(port)).as("port %d after close", port).isFalse();
        }
    }

    @Test
    void aClientThatGoesAwayMidRequestDoesNotTakeDynamoDbDown() throws IOException {
        Ports ports = Ports.free();
        try (LocalAwsStack stack = LocalAwsStack.start(ports, null)) {
            // Half a request, then the connection drops: what a service killed with -9 leaves.
            for (int i = 0; i < 3; i++) {
                try (Socket socket = new Socket("127.0.0.1", ports.dynamoDb())) {
                    socket.getOutputStream()
                            .write(("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-amz-json-1.0\r\n"
                                            + "Content-Length: 1000\r\n\r\n{\"TableName\":")
                                    .getBytes(StandardCharsets.US_ASCII));
                    socket.getOutputStream().flush();
                    socket.setSoLinger(true, 0); // a reset, not a polite close
                }
            }
            LocalAwsClients clients = new LocalAwsClients(stack.endpoints());
            new Provisioner(clients).provision(ResourceNames.DEFAULT, ResourceNames.LOCAL_SHARDS);

            assertThat(stack.dynamoDbProcess().isAlive()).isTrue();
            assertThat(stack.kinesisProcess().isAlive()).isTrue();
            assertEveryResourceExists(clients, ResourceNames.DEFAULT);
        }
    }

    @Test
    void provisioningIsIdempotentAndDataSurvivesARestartWithADataDirectory(@TempDir Path data) {
        Ports ports = Ports.free();
        try (LocalAwsStack stack = LocalAwsStack.start(ports, data)) {
            LocalAwsClients clients = new LocalAwsClients(stack.endpoints());
            new Provisioner(clients).provision(ResourceNames.DEFAULT, 2);
            new Provisioner(clients).provision(ResourceNames.DEFAULT, 2);
            try (DynamoDbClient dynamo = clients.dynamoDb();
                    S3Client s3 = clients.s3()) {
                dynamo.putItem(r -> r.tableName(ResourceNames.DEFAULT.aggregatesTable())
                        .item(Map.of("pk", s("kept"), "sk", s("1"))));
                s3.putObject(
                        r -> r.bucket(ResourceNames.DEFAULT.bucket()).key("kept.txt"), RequestBody.fromString("kept"));
            }
            try (KinesisClient kinesis = clients.kinesis()) {
                kinesis.putRecord(r -> r.streamName(ResourceNames.DEFAULT.stream())
                        .partitionKey("kept")
                        .data(SdkBytes.fromUtf8String("kept")));
            }
        }

        try (LocalAwsStack stack = LocalAwsStack.start(ports, data)) {
            LocalAwsClients clients = new LocalAwsClients(stack.endpoints());
            new Provisioner(clients).provision(ResourceNames.DEFAULT, 2);
            try (DynamoDbClient dynamo = clients.dynamoDb();
                    S3Client s3 = clients.s3()) {
                assertThat(dynamo.getItem(r -> r.tableName(ResourceNames.DEFAULT.aggregatesTable())
                                        .key(Map.of("pk", s("kept"), "sk", s("1"))))
                                .hasItem())
                        .isTrue();
                assertThat(s3.getObjectAsBytes(r ->
                                        r.bucket(ResourceNames.DEFAULT.bucket()).key("kept.txt"))
                                .asUtf8String())
                        .isEqualTo("kept");
            }
            try (KinesisClient kinesis = clients.kinesis()) {
                assertThat(readAll(kinesis, ResourceNames.DEFAULT.stream())).containsExactly("kept");
            }
        }
        assertThat(Files.isDirectory(data.resolve("dynamodb"))).isTrue();
    }

    @Test
    void aPortInUseFailsWithItsNameAndStopsWhatHadStarted() throws IOException {
        Ports ports = Ports.free();
        try (var blocker = new java.net.ServerSocket(ports.s3(), 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            assertThat(blocker.isBound()).isTrue();
            assertThatThrownBy(() -> LocalAwsStack.start(ports, null))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("S3Proxy did not start on port " + ports.s3());
        }
        await().atMost(Duration.ofSeconds(10))
                .until(() -> !accepts(ports.kinesisPlain()) && !accepts(ports.dynamoDb()));
    }

    private static void assertEveryResourceExists(LocalAwsClients clients, ResourceNames names) {
        try (KinesisClient kinesis = clients.kinesis();
                DynamoDbClient dynamo = clients.dynamoDb();
                S3Client s3 = clients.s3()) {
            var stream = kinesis.describeStreamSummary(r -> r.streamName(names.stream()))
                    .streamDescriptionSummary();
            assertThat(stream.streamStatus()).isEqualTo(StreamStatus.ACTIVE);
            assertThat(stream.openShardCount()).isEqualTo(ResourceNames.LOCAL_SHARDS);
            var table = dynamo.describeTable(r -> r.tableName(names.aggregatesTable()))
                    .table();
            assertThat(table.keySchema()).extracting(k -> k.attributeName()).containsExactly("pk", "sk");
            // dynalite has no time to live; provisioning goes on without it (AWS and LocalStack have it).
            assertThat(dynamo.describeTimeToLive(r -> r.tableName(names.aggregatesTable()))
                            .timeToLiveDescription()
                            .timeToLiveStatus())
                    .isEqualTo(TimeToLiveStatus.DISABLED);
            assertThat(s3.listBuckets().buckets()).extracting(b -> b.name()).contains(names.bucket());
        }
    }

    private static void assertKinesisRoundTrips(LocalAwsClients clients, String stream) {
        try (KinesisClient kinesis = clients.kinesis()) {
            var put = kinesis.putRecord(r -> r.streamName(stream)
                    .partitionKey("user-1")
                    .data(SdkBytes.fromString("hello", StandardCharsets.UTF_8)));
            String iterator = kinesis.getShardIterator(r -> r.streamName(stream)
                            .shardId(put.shardId())
                            .shardIteratorType(ShardIteratorType.AT_SEQUENCE_NUMBER)
                            .startingSequenceNumber(put.sequenceNumber()))
                    .shardIterator();
            var records = kinesis.getRecords(r -> r.shardIterator(iterator)).records();
            assertThat(records).first().satisfies(rec -> assertThat(rec.data().asUtf8String())
                    .isEqualTo("hello"));
        }
    }

    private static void assertDynamoDbRoundTrips(LocalAwsClients clients, String table) {
        try (DynamoDbClient dynamo = clients.dynamoDb()) {
            dynamo.putItem(r -> r.tableName(table).item(Map.of("pk", s("u#1"), "sk", s("total"), "n", n(3))));
            var item = dynamo.getItem(r -> r.tableName(table).key(Map.of("pk", s("u#1"), "sk", s("total"))))
                    .item();
            assertThat(item.get("n").n()).isEqualTo("3");
        }
    }

    private static void assertS3CreatesOnlyOnce(LocalAwsClients clients, String bucket) {
        try (S3Client s3 = clients.s3()) {
            s3.putObject(
                    r -> r.bucket(bucket).key("events/a.parquet").ifNoneMatch("*"), RequestBody.fromString("first"));
            assertThatThrownBy(() -> s3.putObject(
                            r -> r.bucket(bucket).key("events/a.parquet").ifNoneMatch("*"),
                            RequestBody.fromString("second")))
                    .isInstanceOfSatisfying(
                            S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(412));
            assertThat(s3.getObjectAsBytes(r -> r.bucket(bucket).key("events/a.parquet"))
                            .asUtf8String())
                    .isEqualTo("first");
        }
    }

    private static List<String> readAll(KinesisClient kinesis, String stream) {
        return kinesis.listShards(r -> r.streamName(stream)).shards().stream()
                .flatMap(shard -> {
                    String iterator = kinesis.getShardIterator(r -> r.streamName(stream)
                                    .shardId(shard.shardId())
                                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON))
                            .shardIterator();
                    return kinesis.getRecords(r -> r.shardIterator(iterator)).records().stream();
                })
                .map(r -> r.data().asUtf8String())
                .toList();
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
