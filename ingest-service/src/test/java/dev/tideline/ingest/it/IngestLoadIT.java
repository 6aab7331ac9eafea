package dev.tideline.ingest.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tideline.localaws.junit.LocalAwsExtension;
import dev.tideline.localaws.junit.StreamReader;
import dev.tideline.model.shard.ShardMap;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import software.amazon.awssdk.services.kinesis.KinesisClient;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class IngestLoadIT {

    private static final int CLIENTS = 50;
    private static final int USERS = 1_000;
    private static final int EVENTS_PER_USER = 10;

    @RegisterExtension
    static final LocalAwsExtension LOCAL = new LocalAwsExtension();

    @DynamicPropertySource
    static void aws(DynamicPropertyRegistry registry) {
        LocalAwsProperties.register(registry, LOCAL.aws());
    }

    @LocalServerPort
    int port;

    @Autowired
    MeterRegistry meters;

    @Test
    void servesAnOpenApiDocumentOfTheEventEndpoints() throws Exception {
        var response = java.net.http.HttpClient.newHttpClient()
                .send(
                        java.net.http.HttpRequest.newBuilder(
                                        java.net.URI.create("http://127.0.0.1:" + port + "/v3/api-docs"))
                                .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"/v1/events\"", "\"/v1/events/batch\"", "application/x-ndjson");
    }

    @Test
    void everyAcknowledgedEventIsOnItsUsersShardInTheOrderSent() throws Exception {
        IngestClient client = new IngestClient(port);
        Map<String, List<Integer>> sentOrder = new ConcurrentHashMap<>();
        Map<String, String> ackedEventUser = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        List<Future<?>> clients = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            int clientNo = c;
            clients.add(pool.submit(() -> {
                // Each client owns the users u with u % CLIENTS == clientNo and sends their events in order.
                for (int n = 0; n < EVENTS_PER_USER; n++) {
                    for (int u = clientNo; u < USERS; u += CLIENTS) {
                        String user = "user-" + u;
                        IngestClient.Answer answer = client.post(user, n);
                        assertThat(answer.status())
                                .as("answer to %s #%d", user, n)
                                .isEqualTo(202);
                        ackedEventUser.put(answer.eventId(), user);
                        sentOrder.computeIfAbsent(user, k -> new ArrayList<>()).add(n);
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : clients) {
            f.get();
        }
        pool.shutdown();

        List<StreamReader.Found> found;
        ShardMap shards;
        try (KinesisClient kinesis = LOCAL.aws().clients().kinesis()) {
            found = StreamReader.readAll(kinesis, LOCAL.aws().names().stream());
            shards = ShardMap.of(kinesis.listShards(r -> r.streamName(LOCAL.aws().names().stream()))
                    .shards());
        }

        assertThat(ackedEventUser).hasSize(USERS * EVENTS_PER_USER);
        assertThat(found).extracting(f -> f.event().eventId()).doesNotHaveDuplicates();
        assertThat(found.stream().map(f -> f.event().eventId()).collect(Collectors.toSet()))
                .containsAll(ackedEventUser.keySet());
        assertThat(found).allSatisfy(f -> assertThat(f.shardId())
                .isEqualTo(shards.shardFor(f.event().userId())));
        Map<String, List<Integer>> streamOrder = found.stream()
                .collect(Collectors.groupingBy(
                        f -> f.event().userId(),
                        Collectors.mapping(
                                f -> Integer.parseInt(f.event().properties().get("n")), Collectors.toList())));
        assertThat(streamOrder).isEqualTo(sentOrder);

        double records = meters.counter("tideline.ingest.kinesis.records").count();
        double users = meters.counter("tideline.ingest.user.records").count();
        assertThat(users / records).as("user records per Kinesis record").isGreaterThan(2.0);
    }
}
