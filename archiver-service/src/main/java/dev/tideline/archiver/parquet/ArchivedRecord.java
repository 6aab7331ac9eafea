package dev.tideline.archiver.parquet;

import dev.tideline.model.event.ClickEvent;
import java.time.Instant;

/**
 * One event as it is archived: the event and where its record sat in the stream.
 *
 * @param subSequenceNumber the index in its KPL aggregate, 0 for a record that was not aggregated
 * @param arrivalTime Kinesis's approximate arrival time of the record, which decides the partition
 */
public record ArchivedRecord(
        ClickEvent event, String shardId, String sequenceNumber, long subSequenceNumber, Instant arrivalTime) {}
