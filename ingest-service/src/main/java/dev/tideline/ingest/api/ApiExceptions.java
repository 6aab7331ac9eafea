package dev.tideline.ingest.api;

import dev.tideline.model.event.InvalidEventException;
import dev.tideline.web.ApiProblem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/** Every error as {@code application/problem+json}: a precise 4xx for anything a client sent. */
@RestControllerAdvice
class ApiExceptions {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptions.class);

    @ExceptionHandler(InvalidEventException.class)
    ResponseEntity<ProblemDetail> invalid(InvalidEventException e) {
        return ApiProblem.of(
                HttpStatus.BAD_REQUEST,
                "invalid-event",
                "the event breaks the event contract",
                ApiProblem.errors(null, e.errors()));
    }

    @ExceptionHandler(BoundedBody.TooLarge.class)
    ResponseEntity<ProblemDetail> tooLarge(BoundedBody.TooLarge e) {
        return ApiProblem.of(HttpStatus.CONTENT_TOO_LARGE, "too-large", e.getMessage());
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<ProblemDetail> mediaType(HttpMediaTypeNotSupportedException e) {
        return ApiProblem.of(
                HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                "unsupported-media-type",
                "send application/json" + (e.getSupportedMediaTypes().size() > 1 ? " or application/x-ndjson" : ""));
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<ProblemDetail> method(HttpRequestMethodNotSupportedException e) {
        return ApiProblem.of(HttpStatus.METHOD_NOT_ALLOWED, "method-not-allowed", e.getMessage());
    }

    @ExceptionHandler(NoResourceFoundException.class)
    ResponseEntity<ProblemDetail> notFound(NoResourceFoundException e) {
        return ApiProblem.of(HttpStatus.NOT_FOUND, "not-found", "no such resource");
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e) {
        log.error("Unexpected error", e);
        return ApiProblem.of(
                HttpStatus.INTERNAL_SERVER_ERROR, "internal", "an unexpected error; the request id identifies it");
    }
}
