package dev.tideline.ingest.publish;

import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * Whether the stream answers, and since when it has not. Only failures that say the stream could
 * not be reached count: the SDK's client-side failures (every {@link SdkClientException}, its
 * timeouts included) and the JDK's connection errors; a throttle or a refused call is an answer.
 * Thread-safe.
 */
final class Reachability {

    private final Clock clock;
    private volatile @Nullable Instant unreachableSince;
    private volatile boolean answered;

    Reachability(Clock clock) {
        this.clock = clock;
    }

    /** The stream answered a call, whatever it said. */
    void answered() {
        answered = true;
        unreachableSince = null;
    }

    /** A call failed; the stream counts as unreachable from now if the failure says so. */
    void failed(Throwable e) {
        if (unreachableSince == null && isConnectivity(e)) {
            unreachableSince = clock.instant();
        }
    }

    /** Answered once at least, and not unreachable since. */
    boolean reachable() {
        return answered && unreachableSince == null;
    }

    boolean unreachable() {
        return unreachableSince != null;
    }

    boolean unreachableFor(Duration d) {
        Instant since = unreachableSince;
        return since != null && !clock.instant().isBefore(since.plus(d));
    }

    static boolean isConnectivity(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SdkClientException
                    || t instanceof ConnectException
                    || t instanceof ClosedChannelException
                    || t instanceof TimeoutException) {
                return true;
            }
        }
        return false;
    }

    /** The innermost cause, named, for a log line. */
    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
