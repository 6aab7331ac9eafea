package dev.tideline.ingest.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tideline.localaws.junit.LocalAwsExtension;
import dev.tideline.localaws.junit.StreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import software.amazon.awssdk.services.kinesis.KinesisClient;

@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "tideline.ingest.deadline=PT2S")
class KinesisOutageIT {

    private static final int CLIENTS = 10;
    private static final int MAX_EVENTS_PER_CLIENT = 3_000;

    @RegisterExtension
    static final LocalAwsExtension LOCAL = new LocalAwsExtension();

    @DynamicPropertySource
    static void aws(DynamicPropertyRegistry registry) {
        LocalAwsProperties.register(registry, LOCAL.aws());
    }

    @LocalServerPort
    int port;

    @Test
    void aFrozenStreamGets503sNeverA2xxForWhatIsNotWrittenAndRecovers() throws Exception {
        IngestClient client = new IngestClient(port);
        Queue<IngestClient.Answer> answers = new ConcurrentLinkedQueue<>();
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        List<Future<?>> load = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            int clientNo = c;
            load.add(pool.submit(() -> {
                for (int n = 0; n < MAX_EVENTS_PER_CLIENT && !stop.get(); n++) {
                    answers.add(client.post("user-" + clientNo + "-" + (n % 7), n));
                }
                return null;
            }));
        }
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> accepted(answers) >= 300);
            LOCAL.aws().pauseKinesis();
            try {
                await().atMost(Duration.ofSeconds(60)).until(() -> count(answers, 503) >= 20);
                assertThat(health()).as("liveness while Kinesis is frozen").isEqualTo(200);
            } finally {
                LOCAL.aws().resumeKinesis();
            }
            int acceptedBefore = accepted(answers);
            await().atMost(Duration.ofSeconds(60)).until(() -> accepted(answers) > acceptedBefore + 100);
        } finally {
            stop.set(true);
            for (Future<?> f : load) {
                f.get();
            }
            pool.shutdown();
        }

        assertThat(answers).extracting(IngestClient.Answer::status).containsOnly(202, 503);
        assertThat(answers).filteredOn(a -> a.status() == 503).allSatisfy(a -> assertThat(a.retryAfter())
                .isNotNull());
        List<String> acknowledged = answers.stream()
                .filter(a -> a.status() == 202)
                .map(IngestClient.Answer::eventId)
                .toList();
        try (KinesisClient kinesis = LOCAL.aws().clients().kinesis()) {
            var inStream = StreamReader.readAll(kinesis, LOCAL.aws().names().stream()).stream()
                    .map(f -> f.event().eventId())
                    .collect(Collectors.toSet());
            assertThat(inStream).containsAll(acknowledged);
        }
    }

    private int health() throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health/liveness"))
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    private static int accepted(Queue<IngestClient.Answer> answers) {
        return count(answers, 202);
    }

    private static int count(Queue<IngestClient.Answer> answers, int status) {
        return (int) answers.stream().filter(a -> a.status() == status).count();
    }
}
