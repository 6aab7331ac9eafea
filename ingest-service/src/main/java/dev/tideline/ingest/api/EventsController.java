package dev.tideline.ingest.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.tideline.ingest.config.IngestProperties;
import dev.tideline.ingest.publish.EventPublisher;
import dev.tideline.ingest.publish.PublishRejectedException;
import dev.tideline.ingest.publish.Published;
import dev.tideline.model.event.ClickEvent;
import dev.tideline.model.event.ClickEventCodec;
import dev.tideline.model.event.FieldError;
import dev.tideline.model.event.InvalidEventException;
import dev.tideline.model.metrics.Meters;
import dev.tideline.web.ApiProblem;
import io.micrometer.core.instrument.MeterRegistry;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /v1/events} and {@code POST /v1/events/batch}: validate, stamp, publish, answer. */
@RestController
class EventsController {

    static final String NDJSON = "application/x-ndjson";
    private static final long ANSWER_GRACE_MILLIS = 500;

    private final ClickEventCodec codec;
    private final EventPublisher publisher;
    private final IngestProperties properties;
    private final Clock clock;
    private final MeterRegistry registry;

    EventsController(
            ClickEventCodec codec,
            EventPublisher publisher,
            IngestProperties properties,
            Clock clock,
            MeterRegistry registry) {
        this.codec = codec;
        this.publisher = publisher;
        this.properties = properties;
        this.clock = clock;
        this.registry = registry;
    }

    @Operation(
            summary = "Post one event",
            description = "Answers 202 once the event is durably in the stream.",
            requestBody =
                    @RequestBody(
                            content =
                                    @Content(
                                            mediaType = MediaType.APPLICATION_JSON_VALUE,
                                            examples =
                                                    @ExampleObject(
                                                            "{\"user_id\":\"u-42\",\"event_type\":\"page_view\",\"page\":\"/home\"}"))))
    @ApiResponse(responseCode = "202", description = "in the stream")
    @ApiResponse(responseCode = "400", description = "invalid; each bad field is named")
    @ApiResponse(responseCode = "401", description = "missing or unknown X-Api-Key")
    @ApiResponse(responseCode = "413", description = "body over the limit")
    @ApiResponse(responseCode = "415", description = "not application/json")
    @ApiResponse(responseCode = "503", description = "the stream did not accept it in time; see Retry-After")
    @PostMapping(path = "/v1/events", consumes = MediaType.APPLICATION_JSON_VALUE)
    CompletableFuture<ResponseEntity<?>> one(HttpServletRequest request) throws IOException {
        ClickEvent event = stamp(codec.readSubmitted(BoundedBody.read(request, properties.maxEventBody())));
        return publish(event).handle((published, error) -> {
            if (error != null) {
                return unavailable(error);
            }
            count("accepted", 1);
            return ResponseEntity.status(HttpStatus.ACCEPTED).body(Accepted.of(null, event, published));
        });
    }

    @Operation(
            summary = "Post up to 500 events",
            description = "A JSON array or newline-delimited JSON. Answers per event, in request order.",
            requestBody =
                    @RequestBody(
                            content = {
                                @Content(
                                        mediaType = MediaType.APPLICATION_JSON_VALUE,
                                        schema = @Schema(type = "array", description = "events")),
                                @Content(
                                        mediaType = NDJSON,
                                        schema = @Schema(type = "string", description = "one event per line"))
                            }))
    @ApiResponse(responseCode = "200", description = "per-event results")
    @ApiResponse(responseCode = "400", description = "malformed, empty, over 500 events, or no event valid")
    @ApiResponse(responseCode = "503", description = "the stream accepted none; see Retry-After")
    @PostMapping(
            path = "/v1/events/batch",
            consumes = {MediaType.APPLICATION_JSON_VALUE, NDJSON})
    CompletableFuture<ResponseEntity<?>> batch(HttpServletRequest request) throws IOException {
        byte[] body = BoundedBody.read(request, properties.maxBatchBody());
        boolean ndjson =
                MediaType.parseMediaType(request.getContentType()).isCompatibleWith(MediaType.parseMediaType(NDJSON));
        List<ClickEventCodec.Parsed> parsed = ndjson ? codec.readSubmittedLines(body) : codec.readSubmittedArray(body);
        if (parsed.isEmpty()) {
            throw new InvalidEventException(List.of(new FieldError(null, "a batch needs at least one event")));
        }
        if (parsed.size() > properties.maxBatchEvents()) {
            throw new InvalidEventException(List.of(new FieldError(
                    null, "a batch holds at most " + properties.maxBatchEvents() + " events, not " + parsed.size())));
        }
        if (parsed.stream().noneMatch(ClickEventCodec.Parsed::valid)) {
            count("invalid", parsed.size());
            List<Map<String, Object>> errors = new ArrayList<>();
            parsed.forEach(p -> errors.addAll(ApiProblem.errors(p.index(), p.errors())));
            return CompletableFuture.completedFuture(
                    ApiProblem.of(HttpStatus.BAD_REQUEST, "invalid-events", "no event of the batch is valid", errors));
        }
        List<CompletableFuture<Object>> outcomes = new ArrayList<>();
        for (ClickEventCodec.Parsed p : parsed) {
            outcomes.add(p.valid() ? publishItem(p.index(), stamp(p.event())) : invalidItem(p));
        }
        return CompletableFuture.allOf(outcomes.toArray(CompletableFuture[]::new))
                .thenApply(done -> batchAnswer(
                        outcomes.stream().map(CompletableFuture::join).toList()));
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

    private ResponseEntity<?> batchAnswer(List<Object> results) {
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

    private ClickEvent stamp(ClickEvent event) {
        return event.withReceivedAt(clock.instant().truncatedTo(ChronoUnit.MILLIS));
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

    private void count(String outcome, long n) {
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
