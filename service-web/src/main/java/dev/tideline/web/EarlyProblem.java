package dev.tideline.web;

import java.util.Locale;
import org.springframework.http.HttpStatus;

/**
 * The body of an error the web server answers before a request reaches the service (a malformed
 * request line, URI or header): RFC 9457 problem JSON like every other error. No request id: the
 * request never got one.
 */
final class EarlyProblem {

    static final String CONTENT_TYPE = "application/problem+json";

    private EarlyProblem() {}

    static String body(int status) {
        HttpStatus known = HttpStatus.resolve(status);
        String title = known == null ? "Error" : known.getReasonPhrase();
        String type = title.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
        return "{\"type\":\"https://tideline.dev/problems/" + type + "\",\"title\":\"" + title + "\",\"status\":"
                + status + ",\"detail\":\"the server could not read the request: its URI or headers are malformed\"}";
    }
}
