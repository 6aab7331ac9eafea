package dev.tideline.web;

import dev.tideline.model.event.FieldError;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

/** RFC 9457 problem responses with a machine-readable {@code errors} array. */
public final class ApiProblem {

    private ApiProblem() {}

    public static ResponseEntity<ProblemDetail> of(HttpStatus status, String type, String detail) {
        return of(status, type, detail, List.of());
    }

    public static ResponseEntity<ProblemDetail> of(
            HttpStatus status, String type, String detail, List<Map<String, Object>> errors) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create("https://tideline.dev/problems/" + type));
        problem.setTitle(status.getReasonPhrase());
        if (!errors.isEmpty()) {
            problem.setProperty("errors", errors);
        }
        String requestId = RequestIdFilter.current();
        if (requestId != null) {
            problem.setProperty("request_id", requestId);
        }
        return ResponseEntity.status(status)
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem);
    }

    public static ResponseEntity<ProblemDetail> unavailable(String detail, Duration retryAfter) {
        ResponseEntity<ProblemDetail> base = of(HttpStatus.SERVICE_UNAVAILABLE, "unavailable", detail);
        return ResponseEntity.status(base.getStatusCode())
                .headers(base.getHeaders())
                .header(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, retryAfter.toSeconds())))
                .body(base.getBody());
    }

    /** One {@code errors} entry about a named field or parameter. */
    public static Map<String, Object> error(String field, String message) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("field", field);
        entry.put("message", message);
        return entry;
    }

    /** Field errors as {@code errors} entries, with the batch index when there is one. */
    public static List<Map<String, Object>> errors(@Nullable Integer index, List<FieldError> fieldErrors) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (FieldError e : fieldErrors) {
            Map<String, Object> entry = new LinkedHashMap<>();
            if (index != null) {
                entry.put("index", index);
            }
            if (e.field() != null) {
                entry.put("field", e.field());
            }
            entry.put("message", e.message());
            out.add(entry);
        }
        return out;
    }
}
