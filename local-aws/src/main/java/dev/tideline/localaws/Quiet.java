package dev.tideline.localaws;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import org.slf4j.LoggerFactory;

/** Raises the log level of the embedded servers, whose debug output runs to gigabytes. */
final class Quiet {

    private static final String[] NOISY = {
        "org.gaul.s3proxy", "org.eclipse.jetty", "io.opentelemetry", "software.amazon.awssdk", "io.netty"
    };

    private Quiet() {}

    static void noisyLoggers() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            for (String name : NOISY) {
                var logger = context.getLogger(name);
                if (logger.getLevel() == null) {
                    logger.setLevel(Level.WARN);
                }
            }
        }
    }
}
