package dev.tideline.model.event;

import java.util.List;

/** The JSON field names of an event, in the order {@link ClickEventCodec} writes them. */
public final class Fields {

    public static final String EVENT_ID = "event_id";
    public static final String USER_ID = "user_id";
    public static final String EVENT_TYPE = "event_type";
    public static final String PAGE = "page";
    public static final String REFERRER = "referrer";
    public static final String SESSION_ID = "session_id";
    public static final String OCCURRED_AT = "occurred_at";
    public static final String RECEIVED_AT = "received_at";
    public static final String PROPERTIES = "properties";

    // The client's context, stamped by the ingest service (ClientContext); flat, so that a JSON
    // reader that maps top-level names to columns (Firehose's) fills the archive's columns.
    public static final String USER_AGENT = "user_agent";
    public static final String IP = "ip";
    public static final String BROWSER = "browser";
    public static final String OS = "os";
    public static final String DEVICE_CLASS = "device_class";
    public static final String IS_BOT = "is_bot";

    public static final List<String> ALL = List.of(
            EVENT_ID,
            USER_ID,
            EVENT_TYPE,
            PAGE,
            REFERRER,
            SESSION_ID,
            OCCURRED_AT,
            RECEIVED_AT,
            PROPERTIES,
            USER_AGENT,
            IP,
            BROWSER,
            OS,
            DEVICE_CLASS,
            IS_BOT);

    /** The fields only the server sets. */
    public static final List<String> CONTEXT = List.of(USER_AGENT, IP, BROWSER, OS, DEVICE_CLASS, IS_BOT);

    private Fields() {}
}
