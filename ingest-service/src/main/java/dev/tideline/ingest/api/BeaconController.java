package dev.tideline.ingest.api;

import dev.tideline.ingest.config.IngestProperties;
import dev.tideline.model.event.ClickEventCodec;
import dev.tideline.web.RequestIdFilter;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /v1/beacon?key=pk_...}: events from web pages. A {@code text/plain} body is what
 * {@code navigator.sendBeacon} and a simple {@code fetch} send without a CORS preflight; it holds one
 * event, a JSON array, or NDJSON. The page's origin must be one its publishable key allows.
 */
@RestController
class BeaconController {

    static final String PATH = "/v1/beacon";

    private final ClickEventCodec codec;
    private final EventIntake intake;
    private final BeaconGate gate;
    private final IngestProperties.Beacon settings;

    BeaconController(ClickEventCodec codec, EventIntake intake, BeaconGate gate, IngestProperties properties) {
        this.codec = codec;
        this.intake = intake;
        this.gate = gate;
        this.settings = properties.beacon();
    }

    @Operation(
            summary = "Post events from a web page",
            description = "One event, a JSON array or NDJSON, as text/plain so that a browser sends it without a"
                    + " preflight. 204 when every event is in the stream; otherwise the per-event results of"
                    + " /v1/events/batch.")
    @ApiResponse(responseCode = "204", description = "every event is in the stream")
    @ApiResponse(responseCode = "200", description = "some events were not accepted; per-event results")
    @ApiResponse(responseCode = "400", description = "malformed, empty, too many events, or no event valid")
    @ApiResponse(responseCode = "401", description = "no key, a secret key, or an unknown publishable key")
    @ApiResponse(responseCode = "403", description = "the page's origin is not one the key allows")
    @ApiResponse(responseCode = "429", description = "over the key's or the client's rate; see Retry-After")
    @ApiResponse(responseCode = "503", description = "the stream accepted none; see Retry-After")
    @PostMapping(
            path = PATH,
            consumes = {MediaType.TEXT_PLAIN_VALUE, MediaType.APPLICATION_JSON_VALUE, EventsController.NDJSON})
    CompletableFuture<ResponseEntity<?>> beacon(
            @Parameter(description = "a publishable key, pk_...") @RequestParam(required = false) @Nullable String key,
            HttpServletRequest request,
            HttpServletResponse response)
            throws IOException {
        String origin = originOf(request);
        if (origin != null) {
            // The page may read its answer: an allowed one learns where its events landed, and a
            // refused one that it was refused, so that its tracker stops instead of retrying.
            response.setHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
            response.setHeader(
                    HttpHeaders.ACCESS_CONTROL_EXPOSE_HEADERS, HttpHeaders.RETRY_AFTER + ", " + RequestIdFilter.HEADER);
        }
        response.addHeader(HttpHeaders.VARY, HttpHeaders.ORIGIN);
        ResponseEntity<ProblemDetail> refused = gate.refuse(key, origin);
        if (refused != null) {
            return CompletableFuture.completedFuture(refused);
        }
        byte[] body = BoundedBody.read(request, settings.maxBody());
        List<ClickEventCodec.Parsed> parsed =
                startsWithArray(body) ? codec.readSubmittedArray(body) : codec.readSubmittedLines(body);
        EventIntake.requireSize(parsed, settings.maxEvents());
        ResponseEntity<ProblemDetail> limited =
                gate.admit(key, parsed.size(), request.getRemoteAddr(), request.getHeader("X-Forwarded-For"));
        if (limited != null) {
            intake.count("rate_limited", parsed.size());
            return CompletableFuture.completedFuture(limited);
        }
        return intake.batch(parsed, true, request);
    }

    /** The page's origin: the {@code Origin} header, else the origin of {@code Referer}. */
    static @Nullable String originOf(HttpServletRequest request) {
        String origin = request.getHeader(HttpHeaders.ORIGIN);
        if (origin != null && !origin.equals("null")) {
            return origin;
        }
        String referer = request.getHeader(HttpHeaders.REFERER);
        if (referer == null) {
            return null;
        }
        try {
            URI uri = URI.create(referer);
            if (uri.getScheme() == null || uri.getHost() == null) {
                return null;
            }
            return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static boolean startsWithArray(byte[] body) {
        for (byte b : body) {
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return b == '[';
            }
        }
        return false;
    }
}
