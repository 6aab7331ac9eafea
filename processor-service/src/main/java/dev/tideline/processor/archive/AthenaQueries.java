package dev.tideline.processor.archive;

import dev.tideline.model.retry.Backoff;
import dev.tideline.processor.rebuild.AthenaFold;
import java.time.Duration;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.athena.AthenaClient;
import software.amazon.awssdk.services.athena.model.QueryExecution;
import software.amazon.awssdk.services.athena.model.QueryExecutionState;

/**
 * Statements run on Athena in one workgroup and database: started, then polled until they end. A
 * statement still running when the thread is interrupted (the task stopping) is stopped on Athena
 * too, so that it scans, and bills, no further.
 */
public final class AthenaQueries implements AthenaFold.Queries {

    /** The waits between polls of a statement: 500 ms, doubling, up to 5 s. */
    private static final Backoff POLLS = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(5));

    private final AthenaClient athena;
    private final String workGroup;
    private final String database;

    public AthenaQueries(AthenaClient athena, String workGroup, String database) {
        this.athena = athena;
        this.workGroup = workGroup;
        this.database = database;
    }

    @Override
    public long run(String sql) {
        String id;
        try {
            id = athena.startQueryExecution(r ->
                            r.queryString(sql).workGroup(workGroup).queryExecutionContext(c -> c.database(database)))
                    .queryExecutionId();
        } catch (SdkException e) {
            throw new IllegalStateException(
                    "Athena (workgroup " + workGroup + ") did not take a statement: " + e.getMessage(), e);
        }
        Backoff.Attempts polls = POLLS.attempts();
        try {
            while (true) {
                QueryExecution q =
                        athena.getQueryExecution(r -> r.queryExecutionId(id)).queryExecution();
                QueryExecutionState state = q.status().state();
                if (state == QueryExecutionState.SUCCEEDED) {
                    Long scanned =
                            q.statistics() == null ? null : q.statistics().dataScannedInBytes();
                    return scanned == null ? 0 : scanned;
                }
                if (state == QueryExecutionState.FAILED || state == QueryExecutionState.CANCELLED) {
                    throw new IllegalStateException(
                            "Athena query " + id + " " + state.toString().toLowerCase() + ": "
                                    + q.status().stateChangeReason() + "; the statement: " + abbreviated(sql));
                }
                Thread.sleep(polls.next().toMillis());
            }
        } catch (InterruptedException | AbortedException e) {
            // Interrupted asleep or in a call: the flag is cleared for the stop's own call, then kept.
            Thread.interrupted();
            try {
                athena.stopQueryExecution(r -> r.queryExecutionId(id));
            } finally {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("stopped while Athena query " + id + " ran; it is stopped too", e);
        } catch (SdkException e) {
            throw new IllegalStateException("Athena query " + id + " cannot be followed: " + e.getMessage(), e);
        }
    }

    private static String abbreviated(String sql) {
        return sql.length() <= 300 ? sql : sql.substring(0, 300) + "...";
    }
}
