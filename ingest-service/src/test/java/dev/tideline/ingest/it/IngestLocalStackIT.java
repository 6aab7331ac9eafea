package dev.tideline.ingest.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tideline.localaws.junit.SharedLocalStack;
import dev.tideline.localaws.junit.StreamReader;
import dev.tideline.model.names.ResourceNames;
import dev.tideline.model.shard.ShardMap;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.test.context.ActiveProfiles;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.localstack.LocalStackContainer;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/** The ingest service on LocalStack, where Docker is; skipped where it is not. */
@Testcontainers(disabledWithoutDocker = true)
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "tideline.ingest.auth.api-keys[0]=" + IngestClient.KEY)
@ActiveProfiles("localstack")
class IngestLocalStackIT {

    @ServiceConnection
    static final LocalStackContainer LOCALSTACK = SharedLocalStack.container();

    @LocalServerPort
    int port;

    @Test
    void everyAcknowledgedEventIsOnTheShardItsUserHashesTo() throws Exception {
        IngestClient client = new IngestClient(port);
        List<String> acknowledged = new ArrayList<>();
        for (int n = 0; n < 200; n++) {
            IngestClient.Answer answer = client.post("user-" + (n % 20), n);
            assertThat(answer.status()).isEqualTo(202);
            acknowledged.add(answer.eventId());
        }

        try (KinesisClient kinesis = SharedLocalStack.client(KinesisClient.builder())) {
            String stream = ResourceNames.DEFAULT.stream();
            ShardMap shards =
                    ShardMap.of(kinesis.listShards(r -> r.streamName(stream)).shards());
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                List<StreamReader.Found> found = StreamReader.readAll(kinesis, stream);
                Map<String, StreamReader.Found> byId =
                        found.stream().collect(Collectors.toMap(f -> f.event().eventId(), f -> f, (a, b) -> a));
                assertThat(byId.keySet()).containsAll(acknowledged);
                for (StreamReader.Found f : found) {
                    assertThat(f.shardId()).isEqualTo(shards.shardFor(f.event().userId()));
                }
            });
        }
    }
}
