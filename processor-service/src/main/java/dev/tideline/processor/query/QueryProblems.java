package dev.tideline.processor.query;

import dev.tideline.processor.apply.StoreUnavailableException;
import dev.tideline.web.ApiProblem;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/** Query errors as RFC 9457 problems. */
@RestControllerAdvice
class QueryProblems {

    private static final Logger log = LoggerFactory.getLogger(QueryProblems.class);
    static final Duration RETRY_AFTER = Duration.ofSeconds(5);

    @ExceptionHandler
    ResponseEntity<ProblemDetail> badParameters(QueryController.BadParameters e) {
        return ApiProblem.of(
                HttpStatus.BAD_REQUEST, "invalid-parameters", "the query's parameters are invalid", e.errors);
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> unknownUser(QueryController.UnknownUser e) {
        return ApiProblem.of(HttpStatus.NOT_FOUND, "unknown-user", e.getMessage(), List.of());
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> notFound(NoResourceFoundException e) {
        return ApiProblem.of(HttpStatus.NOT_FOUND, "not-found", "no such resource");
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> storeDown(StoreUnavailableException e) {
        log.warn("A query could not read the aggregates: {}", e.getMessage());
        return ApiProblem.unavailable("the aggregates cannot be read right now", RETRY_AFTER);
    }
}
