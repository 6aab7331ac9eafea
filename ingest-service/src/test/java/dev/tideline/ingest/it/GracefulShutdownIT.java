package dev.tideline.ingest.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tideline.ingest.IngestApplication;
import dev.tideline.localaws.junit.LocalAwsExtension;
import dev.tideline.localaws.junit.StreamReader;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/** Shutting down under load: callers already waiting are answered, and every 202 is in the stream. */
class GracefulShutdownIT {

    private static final int CLIENTS = 20;

    @RegisterExtension
    static final LocalAwsExtension LOCAL = new LocalAwsExtension();

    record Timed(IngestClient.Answer answer, long answeredAtNanos) {}

    @Test
    void waitingCallersAreAnsweredAndEveryAcceptedEventIsInTheStream() throws Exception {
        ConfigurableApplicationContext app = new SpringApplicationBuilder(IngestApplication.class)
                .run(LocalAwsProperties.arguments(LOCAL.aws(), "--server.port=0"));
        IngestClient client = new IngestClient(
                ((WebServerApplicationContext) app).getWebServer().getPort());
        Queue<Timed> answers = new ConcurrentLinkedQueue<>();
        AtomicLong ioErrors = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        List<Future<?>> load = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            int clientNo = c;
            load.add(pool.submit(() -> {
                for (int n = 0; n < 100_000; n++) {
                    try {
                        answers.add(new Timed(client.post("user-" + clientNo, n), System.nanoTime()));
                    } catch (IOException refusedOrClosed) {
                        ioErrors.incrementAndGet();
                        return null; // the server is gone
                    }
                }
                return null;
            }));
        }

        await().atMost(Duration.ofSeconds(60)).until(() -> answers.size() >= 500);
        long closeBegan = System.nanoTime();
        app.close();
        for (Future<?> f : load) {
            f.get();
        }
        pool.shutdown();

        assertThat(answers)
                .as(
                        "answers other than 202 and 503: %s",
                        answers.stream()
                                .filter(t ->
                                        t.answer().status() != 202 && t.answer().status() != 503)
                                .map(t -> t.answer().status() + " " + t.answer().body())
                                .toList())
                .extracting(t -> t.answer().status())
                .isSubsetOf(202, 503);
        assertThat(answers)
                .as("callers answered with 202 while the service was shutting down")
                .anySatisfy(t -> {
                    assertThat(t.answeredAtNanos()).isGreaterThan(closeBegan);
                    assertThat(t.answer().status()).isEqualTo(202);
                });
        Set<String> accepted = answers.stream()
                .filter(t -> t.answer().status() == 202)
                .map(t -> t.answer().eventId())
                .collect(Collectors.toSet());
        try (KinesisClient kinesis = LOCAL.aws().clients().kinesis()) {
            Set<String> inStream = StreamReader.readAll(kinesis, LOCAL.aws().names().stream()).stream()
                    .map(f -> f.event().eventId())
                    .collect(Collectors.toSet());
            assertThat(inStream).containsAll(accepted);
        }
    }
}
