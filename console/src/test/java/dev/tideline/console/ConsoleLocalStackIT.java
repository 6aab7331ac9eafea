package dev.tideline.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tideline.console.collect.Collector;
import dev.tideline.console.collect.Snapshot;
import dev.tideline.localaws.junit.SharedLocalStack;
import dev.tideline.model.names.ResourceNames;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.test.context.ActiveProfiles;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.localstack.LocalStackContainer;

/** The console on LocalStack, where Docker is; skipped where it is not. */
@Testcontainers(disabledWithoutDocker = true)
@SpringBootTest
@ActiveProfiles("localstack")
class ConsoleLocalStackIT {

    @ServiceConnection
    static final LocalStackContainer LOCALSTACK = SharedLocalStack.container();

    @Autowired
    Collector collector;

    @Test
    void readsTheStreamAndNamesTheServicesThatAreNotThere() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Snapshot s = collector.last();
            assertThat(s).isNotNull();
            assertThat(s.stream().error()).isNull();
            assertThat(s.stream().shards()).hasSize(ResourceNames.LOCAL_SHARDS);
            assertThat(s.consumers()).allSatisfy(c -> assertThat(c.problems())
                    .anySatisfy(p -> assertThat(p).contains("answers at none of")));
            assertThat(s.healthy()).isFalse();
        });
    }
}
