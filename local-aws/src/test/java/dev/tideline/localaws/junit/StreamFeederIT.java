package dev.tideline.localaws.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tideline.localaws.Endpoints;
import dev.tideline.localaws.truth.Clickstream;
import dev.tideline.model.event.ClickEvent;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;

class StreamFeederIT {

    @RegisterExtension
    static final LocalAwsExtension LOCAL = new LocalAwsExtension(4);

    @Test
    void aLargeFeedGoesInCallsOfAtMostOneMebibyteAndLandsWholeInEachUsersOrder() {
        List<Long> callBytes = new CopyOnWriteArrayList<>();
        ExecutionInterceptor calls = new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                if (context.request() instanceof PutRecordsRequest put) {
                    callBytes.add(put.records().stream()
                            .mapToLong(e -> e.data().asByteArrayUnsafe().length
                                    + e.partitionKey().getBytes(StandardCharsets.UTF_8).length)
                            .sum());
                }
            }
        };
        List<ClickEvent> events = new Clickstream(7, 500, "feed").next(8_000);
        String stream = LOCAL.aws().names().stream();
        try (KinesisClient kinesis = KinesisClient.builder()
                .endpointOverride(LOCAL.aws().endpoints().kinesis())
                .region(Endpoints.REGION)
                .credentialsProvider(Endpoints.credentials())
                .httpClientBuilder(Apache5HttpClient.builder())
                .overrideConfiguration(c -> c.addExecutionInterceptor(calls))
                .build()) {
            new StreamFeeder(kinesis, stream).aggregated(events);

            assertThat(callBytes).hasSizeGreaterThan(1).allSatisfy(b -> assertThat(b)
                    .isLessThanOrEqualTo(1024 * 1024));
            assertThat(byUser(StreamReader.readAll(kinesis, stream).stream()
                            .map(StreamReader.Found::event)
                            .toList()))
                    .isEqualTo(byUser(events));
        }
    }

    private static Map<String, List<String>> byUser(List<ClickEvent> events) {
        return events.stream()
                .collect(Collectors.groupingBy(
                        ClickEvent::userId, Collectors.mapping(ClickEvent::eventId, Collectors.toList())));
    }
}
