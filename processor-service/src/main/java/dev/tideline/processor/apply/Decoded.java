package dev.tideline.processor.apply;

import dev.tideline.model.event.ClickEvent;
import dev.tideline.model.event.ClickEventCodec;
import dev.tideline.model.event.FieldError;
import dev.tideline.model.event.InvalidEventException;
import java.util.stream.Collectors;

/** A stream record read as an event, or found to be poison. */
sealed interface Decoded {

    StreamRecord record();

    record Event(StreamRecord record, ClickEvent event) implements Decoded {}

    record Poison(StreamRecord record, String reason, String message) implements Decoded {}

    /** Reads a record as the ingest service writes them; never throws for bad data. */
    static Decoded of(StreamRecord record, ClickEventCodec codec) {
        ClickEvent event;
        try {
            event = codec.readStored(record.data());
        } catch (InvalidEventException e) {
            boolean unreadable = e.errors().stream().allMatch(error -> error.field() == null);
            String message = e.errors().stream().map(FieldError::toString).collect(Collectors.joining("; "));
            return new Poison(record, unreadable ? "undecodable" : "invalid", message);
        } catch (RuntimeException e) {
            return new Poison(record, "undecodable", String.valueOf(e.getMessage()));
        }
        if (!event.userId().equals(record.partitionKey())) {
            // The per-user order rests on the partition key being the user id.
            return new Poison(
                    record,
                    "partition_key_mismatch",
                    "user_id '" + event.userId() + "' arrived under partition key '" + record.partitionKey() + "'");
        }
        return new Event(record, event);
    }
}
