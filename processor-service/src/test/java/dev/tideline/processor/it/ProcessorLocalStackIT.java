package dev.tideline.processor.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tideline.localaws.junit.SharedLocalStack;
import dev.tideline.localaws.junit.StreamFeeder;
import dev.tideline.localaws.truth.Clickstream;
import dev.tideline.model.event.ClickEvent;
import dev.tideline.model.names.ResourceNames;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
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

/** The processor service on LocalStack, where Docker is; skipped where it is not. */
@Testcontainers(disabledWithoutDocker = true)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("localstack")
class ProcessorLocalStackIT {

    @ServiceConnection
    static final LocalStackContainer LOCALSTACK = SharedLocalStack.container();

    @LocalServerPort
    int port;

    @Test
    void eventsOnTheStreamBecomeEachUsersTotal() {
        List<ClickEvent> events = new Clickstream(7, 20, "ls-user-").next(400);
        Map<String, Long> perUser =
                events.stream().collect(Collectors.groupingBy(ClickEvent::userId, Collectors.counting()));

        try (KinesisClient kinesis = SharedLocalStack.client(KinesisClient.builder())) {
            new StreamFeeder(kinesis, ResourceNames.DEFAULT.stream()).aggregated(events);
        }

        HttpClient http = HttpClient.newHttpClient();
        // KCL waits up to 30 s before its first lease sync on an empty lease table.
        await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> {
            for (var user : perUser.entrySet()) {
                HttpResponse<String> answer = http.send(
                        HttpRequest.newBuilder(URI.create(
                                        "http://127.0.0.1:" + port + "/v1/users/" + user.getKey() + "/activity"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(answer.statusCode()).isEqualTo(200);
                assertThat(answer.body()).contains("\"total_events\":" + user.getValue());
            }
        });
    }
}
