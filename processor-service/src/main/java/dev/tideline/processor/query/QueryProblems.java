package dev.tideline.processor.query;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import software.amazon.awssdk.core.exception.SdkException;

/** Query errors as RFC 9457 problems, each with the request id the response carries. */
@RestControllerAdvice
class QueryProblems {

    private static final Logger log = LoggerFactory.getLogger(QueryProblems.class);
    static final Duration RETRY_AFTER = Duration.ofSeconds(5);

    static Map<String, Object> error(String field, String message) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("field", field);
        e.put("message", message);
        return e;
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> badParameters(QueryController.BadParameters e) {
        return problem(HttpStatus.BAD_REQUEST, "invalid-parameters", "the query's parameters are invalid", e.errors);
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> unknownUser(QueryController.UnknownUser e) {
        return problem(HttpStatus.NOT_FOUND, "unknown-user", e.getMessage(), List.of());
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> notFound(NoResourceFoundException e) {
        return problem(HttpStatus.NOT_FOUND, "not-found", "no such resource", List.of());
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> storeDown(SdkException e) {
        log.warn("A query could not reach DynamoDB: {}", e.toString());
        ResponseEntity<ProblemDetail> base = problem(
                HttpStatus.SERVICE_UNAVAILABLE, "unavailable", "the aggregates cannot be read right now", List.of());
        return ResponseEntity.status(base.getStatusCode())
                .headers(base.getHeaders())
                .header(HttpHeaders.RETRY_AFTER, Long.toString(RETRY_AFTER.toSeconds()))
                .body(base.getBody());
    }

    private static ResponseEntity<ProblemDetail> problem(
            HttpStatus status, String type, String detail, List<Map<String, Object>> errors) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create("https://tideline.dev/problems/" + type));
        problem.setTitle(status.getReasonPhrase());
        if (!errors.isEmpty()) {
            problem.setProperty("errors", errors);
        }
        String requestId = RequestIds.current();
        problem.setProperty("request_id", requestId == null ? UUID.randomUUID().toString() : requestId);
        return ResponseEntity.status(status)
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem);
    }
}
