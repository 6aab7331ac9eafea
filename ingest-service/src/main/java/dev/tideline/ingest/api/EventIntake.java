package dev.tideline.ingest.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.tideline.ingest.config.IngestProperties;
import dev.tideline.ingest.context.ClientContexts;
import dev.tideline.ingest.publish.EventPublisher;
import dev.tideline.ingest.publish.PublishRejectedException;
import dev.tideline.ingest.publish.Published;
import dev.tideline.model.event.ClickEvent;
import dev.tideline.model.event.ClickEventCodec;
import dev.tideline.model.event.ClientContext;
import dev.tideline.model.event.FieldError;
import dev.tideline.model.event.InvalidEventException;
import dev.tideline.model.metrics.Meters;
import dev.tideline.web.ApiProblem;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;

/**
 * What every endpoint that takes events does with them once read: stamp them (arrival time and the
 * client's context), publish them, count the outcomes, and answer. Thread-safe.
 */
@Component
class EventIntake {

    private static final long ANSWER_GRACE_MILLIS = 500;

    private final ClickEventCodec codec;
    private final EventPublisher publisher;
    private final IngestProperties properties;
    private final ClientContexts contexts;
    private final Clock clock;
    private final MeterRegistry registry;

    EventIntake(
            ClickEventCodec codec,
            EventPublisher publisher,
            IngestProperties properties,
            ClientContexts contexts,
            Clock clock,
            MeterRegistry registry) {
        this.codec = codec;
        this.publisher = publisher;
        this.properties = properties;
        this.contexts = contexts;
        this.clock = clock;
        this.registry = registry;
    }

    /** One event: 202 with where it landed, or 503. */
    CompletableFuture<ResponseEntity<?>> one(ClickEvent submitted, HttpServletRequest request) {
        ClickEvent event = stamp(submitted, contextOf(request));
        return publish(event).handle((published, error) -> {
            if (error != null) {
                return unavailable(error);
            }
            count("accepted", 1);
            return ResponseEntity.status(HttpStatus.ACCEPTED).body(Accepted.of(null, event, published));
        });
    }

    /**
     * A batch, each event on its own: per-event results (200), a 400 problem when none is valid, a
     * 503 when the stream took none.
     *
     * @param parsed the events, whose number the endpoint has checked ({@link #requireSize})
     * @param noContentWhenAll answer 204 with no body when every event is in the stream, as a beacon
     *     (whose sender rarely reads the answer) wants
     */
    CompletableFuture<ResponseEntity<?>> batch(
            List<ClickEventCodec.Parsed> parsed, boolean noContentWhenAll, HttpServletRequest request) {
        if (parsed.stream().noneMatch(ClickEventCodec.Parsed::valid)) {
            count("invalid", parsed.size());
            List<Map<String, Object>> errors = new ArrayList<>();
            parsed.forEach(p -> errors.addAll(ApiProblem.errors(p.index(), p.errors())));
            return CompletableFuture.completedFuture(
                    ApiProblem.of(HttpStatus.BAD_REQUEST, "invalid-events", "no event of the batch is valid", errors));
        }
        @Nullable ClientContext context = contextOf(request);
        List<CompletableFuture<Object>> outcomes = new ArrayList<>();
        for (ClickEventCodec.Parsed p : parsed) {
            outcomes.add(p.valid() ? publishItem(p.index(), stamp(p.event(), context)) : invalidItem(p));
        }
        return CompletableFuture.allOf(outcomes.toArray(CompletableFuture[]::new))
                .thenApply(done -> batchAnswer(
                        outcomes.stream().map(CompletableFuture::join).toList(), noContentWhenAll));
    }

    /** The size rules of a batch, checked before anything of it is published. */
    static void requireSize(List<ClickEventCodec.Parsed> parsed, int maxEvents) {
        if (parsed.isEmpty()) {
            throw new InvalidEventException(List.of(new FieldError(null, "a batch needs at least one event")));
        }
        if (parsed.size() > maxEvents) {
            throw new InvalidEventException(List.of(
                    new FieldError(null, "a batch holds at most " + maxEvents + " events, not " + parsed.size())));
        }
    }

    private @Nullable ClientContext contextOf(HttpServletRequest request) {
        return contexts.of(
                request.getHeader(HttpHeaders.USER_AGENT),
                request.getRemoteAddr(),
                request.getHeader("X-Forwarded-For"));
    }

    private CompletableFuture<Object> publishItem(int index, ClickEvent event) {
        return publish(event)
                .handle((published, error) -> error == null
                        ? Accepted.of(index, event, published)
                        : new Failed(index, "unavailable", reasonOf(error), null));
    }

    private CompletableFuture<Object> invalidItem(ClickEventCodec.Parsed p) {
        String message = p.errors().stream()
                .map(FieldError::toString)
                .reduce((a, b) -> a + "; " + b)
                .orElse("invalid");
        return CompletableFuture.completedFuture(
                new Failed(p.index(), "invalid", message, ApiProblem.errors(null, p.errors())));
    }

    private ResponseEntity<?> batchAnswer(List<Object> results, boolean noContentWhenAll) {
        long accepted = results.stream().filter(Accepted.class::isInstance).count();
        long unavailable = results.stream()
                .filter(r -> r instanceof Failed f && f.error().equals("unavailable"))
                .count();
        count("accepted", accepted);
        count("invalid", results.size() - accepted - unavailable);
        count("unavailable", unavailable);
        if (accepted == 0 && unavailable > 0) {
            return ApiProblem.unavailable("the stream did not accept the batch; retry later", Duration.ofSeconds(1));
        }
        if (noContentWhenAll && accepted == results.size()) {
            return ResponseEntity.noContent().build();
        }
        var answer = ResponseEntity.ok();
        if (unavailable > 0) {
            answer.header(HttpHeaders.RETRY_AFTER, "1");
        }
        return answer.body(new BatchAnswer(accepted, results.size() - accepted, results));
    }

    /** Answered by the deadline at the latest, even when a call to the stream hangs. */
    private CompletableFuture<Published> publish(ClickEvent event) {
        return publisher
                .publish(event.userId(), codec.write(event), clock.instant().plus(properties.deadline()))
                .orTimeout(properties.deadline().toMillis() + ANSWER_GRACE_MILLIS, TimeUnit.MILLISECONDS);
    }

    private ClickEvent stamp(ClickEvent event, @Nullable ClientContext context) {
        return event.withReceivedAt(clock.instant().truncatedTo(ChronoUnit.MILLIS))
                .withContext(context);
    }

    private ResponseEntity<?> unavailable(Throwable error) {
        count("unavailable", 1);
        Duration retryAfter =
                cause(error) instanceof PublishRejectedException r ? r.retryAfter() : Duration.ofSeconds(1);
        return ApiProblem.unavailable(reasonOf(error), retryAfter);
    }

    private static String reasonOf(Throwable error) {
        Throwable cause = cause(error);
        if (cause instanceof PublishRejectedException r) {
            return r.getMessage();
        }
        return cause instanceof java.util.concurrent.TimeoutException
                ? "the stream did not acknowledge the event in time"
                : "the stream could not be reached";
    }

    private static Throwable cause(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    void count(String outcome, long n) {
        if (n > 0) {
            registry.counter(Meters.INGEST_EVENTS.name(), Meters.OUTCOME, outcome)
                    .increment(n);
        }
    }

    /** Where an accepted event landed; {@code index} only in a batch. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Accepted(
            Integer index,
            @JsonProperty("event_id") String eventId,
            @JsonProperty("shard_id") String shardId,
            @JsonProperty("sequence_number") String sequenceNumber,
            @JsonProperty("sub_sequence_number") long subSequenceNumber) {

        static Accepted of(Integer index, ClickEvent event, Published p) {
            return new Accepted(index, event.eventId(), p.shardId(), p.sequenceNumber(), p.subSequenceNumber());
        }
    }

    /** An event of a batch that was not accepted: {@code invalid} (see errors) or {@code unavailable}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Failed(int index, String error, String message, List<Map<String, Object>> errors) {}

    record BatchAnswer(long accepted, long failed, List<Object> results) {}
}
