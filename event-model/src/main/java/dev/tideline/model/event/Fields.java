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

    public static final List<String> ALL =
            List.of(EVENT_ID, USER_ID, EVENT_TYPE, PAGE, REFERRER, SESSION_ID, OCCURRED_AT, RECEIVED_AT, PROPERTIES);

    private Fields() {}
}
