package dev.tideline.localaws.kinesis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;

/** Writes records with PutRecords, 500 at a time, in order; fails the test on any failed record. */
final class StreamWriter {

    private StreamWriter() {}

    static List<PutRecordsResultEntry> putAll(
            KinesisClient kinesis, String stream, List<PutRecordsRequestEntry> entries) {
        List<PutRecordsResultEntry> results = new ArrayList<>(entries.size());
        for (int from = 0; from < entries.size(); from += 500) {
            List<PutRecordsRequestEntry> chunk = entries.subList(from, Math.min(entries.size(), from + 500));
            var response = kinesis.putRecords(r -> r.streamName(stream).records(chunk));
            assertThat(response.failedRecordCount())
                    .as("failed records in a PutRecords call")
                    .isZero();
            results.addAll(response.records());
        }
        return results;
    }
}
