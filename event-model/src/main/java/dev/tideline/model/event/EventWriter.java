package dev.tideline.model.event;

import java.io.ByteArrayOutputStream;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

/** Writes an event in the contract's JSON form, for {@link ClickEventCodec#write}. */
final class EventWriter {

    private EventWriter() {}

    /** The event's JSON form: UTF-8, snake_case, absent fields omitted, in a fixed field order. */
    static byte[] write(JsonFactory factory, ClickEvent event) {
        var out = new ByteArrayOutputStream(256 + event.properties().size() * 32);
        try (JsonGenerator g = factory.createGenerator(ObjectWriteContext.empty(), out)) {
            g.writeStartObject();
            g.writeStringProperty(Fields.EVENT_ID, event.eventId());
            g.writeStringProperty(Fields.USER_ID, event.userId());
            g.writeStringProperty(Fields.EVENT_TYPE, event.eventType());
            writeOptional(g, Fields.PAGE, event.page());
            writeOptional(g, Fields.REFERRER, event.referrer());
            writeOptional(g, Fields.SESSION_ID, event.sessionId());
            writeOptional(g, Fields.OCCURRED_AT, event.occurredAt());
            writeOptional(g, Fields.RECEIVED_AT, event.receivedAt());
            if (!event.properties().isEmpty()) {
                g.writeName(Fields.PROPERTIES);
                g.writeStartObject();
                for (Map.Entry<String, String> p : event.properties().entrySet()) {
                    g.writeStringProperty(p.getKey(), p.getValue());
                }
                g.writeEndObject();
            }
            ClientContext c = event.context();
            if (c != null) {
                writeOptional(g, Fields.USER_AGENT, c.userAgent());
                writeOptional(g, Fields.IP, c.ip());
                writeOptional(g, Fields.BROWSER, c.browser());
                writeOptional(g, Fields.OS, c.os());
                writeOptional(g, Fields.DEVICE_CLASS, c.deviceClass());
                g.writeBooleanProperty(Fields.IS_BOT, c.bot());
            }
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    private static void writeOptional(JsonGenerator g, String name, @Nullable Object value) {
        if (value != null) {
            g.writeStringProperty(name, value.toString());
        }
    }
}
