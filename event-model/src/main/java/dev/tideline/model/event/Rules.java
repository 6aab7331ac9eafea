package dev.tideline.model.event;

import java.util.regex.Pattern;

/** The limits of the event contract (docs/ARCHITECTURE.md, "The event contract"), each with the message that states it. */
final class Rules {

    static final int USER_ID_MAX = 256; // the Kinesis partition-key limit, in Unicode characters
    static final int URL_MAX = 2048;
    static final int SESSION_ID_MAX = 128;
    static final int PROPERTIES_MAX = 64;
    static final Pattern EVENT_TYPE = Pattern.compile("^[a-z][a-z0-9_]{0,63}$");
    static final Pattern UUID =
            Pattern.compile("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");

    static final String REQUIRED = "is required";
    static final String STRING = "must be a string";
    static final String BOOLEAN = "must be true or false";
    static final String OBJECT = "must be a JSON object of strings";
    static final String UNICODE = "must be valid Unicode text (it holds an unpaired surrogate)";
    static final String CONTROL = "must not hold control characters (U+0000 to U+001F)";
    static final String UNKNOWN = "is not a field of an event";
    static final String SERVER_SET = "is set by the server and must not be sent";
    static final String DUPLICATE = "appears more than once";
    static final String NOT_UUID = "must be a UUID such as 3f1c2a9e-5b7d-4e8f-9a0b-1c2d3e4f5a6b";
    static final String NOT_INSTANT = "must be an ISO-8601 instant such as 2026-11-22T10:15:30Z";
    static final String USER_ID_LENGTH = "must be 1 to " + USER_ID_MAX + " characters";
    static final String EVENT_TYPE_FORM = "must match " + EVENT_TYPE.pattern();
    static final String URL_LENGTH = "must be at most " + URL_MAX + " characters";
    static final String SESSION_ID_LENGTH = "must be at most " + SESSION_ID_MAX + " characters";
    static final String PROPERTIES_COUNT = "must have at most " + PROPERTIES_MAX + " entries";

    private Rules() {}

    /** Length in Unicode code points, as Kinesis counts partition-key characters. */
    static int characters(String s) {
        return s.codePointCount(0, s.length());
    }

    /** Whether an identifier holds a control character, which no URL path or log line carries safely. */
    static boolean hasControl(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < 0x20) {
                return true;
            }
        }
        return false;
    }

    static boolean wellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }
}
