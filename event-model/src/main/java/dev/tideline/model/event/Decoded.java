package dev.tideline.model.event;

import dev.tideline.model.shard.StreamRecord;
import java.util.stream.Collectors;

/**
 * A stream record read as an event, or found to be poison. Both consumers decide by this one rule,
 * so an event the processor counts is an event the archive holds, and a record one of them sets
 * aside, the other sets aside for the same reason.
 */
public sealed interface Decoded {

    /** Bytes that are not an event at all. */
    String UNDECODABLE = "undecodable";

    /** An event that breaks a field's rule. */
    String INVALID = "invalid";

    /** An event whose user id is not the partition key it arrived under, which would break per-user order. */
    String PARTITION_KEY_MISMATCH = "partition_key_mismatch";

    StreamRecord record();

    record Event(StreamRecord record, ClickEvent event) implements Decoded {}

    /** @param reason one of {@link #UNDECODABLE}, {@link #INVALID}, {@link #PARTITION_KEY_MISMATCH} */
    record Poison(StreamRecord record, String reason, String message) implements Decoded {}

    /** Reads a record as the ingest service writes them; never throws for bad data. */
    static Decoded of(StreamRecord record, ClickEventCodec codec) {
        ClickEvent event;
        try {
            event = codec.readStored(record.data());
        } catch (InvalidEventException e) {
            boolean unreadable = e.errors().stream().allMatch(error -> error.field() == null);
            String message = e.errors().stream().map(FieldError::toString).collect(Collectors.joining("; "));
            return new Poison(record, unreadable ? UNDECODABLE : INVALID, message);
        } catch (RuntimeException e) {
            return new Poison(record, UNDECODABLE, String.valueOf(e.getMessage()));
        }
        if (!event.userId().equals(record.partitionKey())) {
            return new Poison(
                    record,
                    PARTITION_KEY_MISMATCH,
                    "user_id '" + event.userId() + "' arrived under partition key '" + record.partitionKey() + "'");
        }
        return new Event(record, event);
    }
}
