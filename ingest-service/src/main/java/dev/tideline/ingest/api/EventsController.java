package dev.tideline.ingest.api;

import dev.tideline.ingest.config.IngestProperties;
import dev.tideline.model.event.ClickEventCodec;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /v1/events} and {@code POST /v1/events/batch}, for servers and apps holding a secret key. */
@RestController
class EventsController {

    static final String NDJSON = "application/x-ndjson";

    private final ClickEventCodec codec;
    private final EventIntake intake;
    private final IngestProperties properties;

    EventsController(ClickEventCodec codec, EventIntake intake, IngestProperties properties) {
        this.codec = codec;
        this.intake = intake;
        this.properties = properties;
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
        return intake.one(codec.readSubmitted(BoundedBody.read(request, properties.maxEventBody())), request);
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
        EventIntake.requireSize(parsed, properties.maxBatchEvents());
        return intake.batch(parsed, false, request);
    }
}
