package dev.tideline.web;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * On Jetty, the errors it answers before a request reaches the service (a request line or header it
 * cannot parse, a URI it refuses) as {@code application/problem+json}, like every other error,
 * instead of Jetty's HTML page. No request id: the request never got one.
 */
public final class ProblemErrorHandler extends ErrorHandler {

    @Override
    protected void generateResponse(
            Request request, Response response, int code, String message, Throwable cause, Callback callback) {
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, EarlyProblem.CONTENT_TYPE);
        response.write(true, ByteBuffer.wrap(EarlyProblem.body(code).getBytes(StandardCharsets.UTF_8)), callback);
    }
}
