package dev.tideline.web;

import java.io.IOException;
import java.io.Writer;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;

/**
 * Errors Tomcat answers before a request reaches the service (a malformed URI, a bad percent
 * encoding, a {@code %00}) as {@code application/problem+json}, like every other error, instead of
 * Tomcat's HTML page. No request id: the request never got one.
 */
public final class ProblemErrorReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        String body = EarlyProblem.body(status);
        try {
            response.setContentType(EarlyProblem.CONTENT_TYPE);
            response.setCharacterEncoding("utf-8");
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(body);
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // the connection is gone; nothing more can be said
        }
    }
}
