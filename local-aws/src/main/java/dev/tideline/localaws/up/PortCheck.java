package dev.tideline.localaws.up;

import dev.tideline.localaws.Ports;
import java.util.ArrayList;
import java.util.List;

/** Which of the ports {@code up} needs are taken, each with the variable that moves it. */
final class PortCheck {

    /** A port {@code up} listens on: what for, and the environment variable that moves it. */
    record Wanted(int port, String what, String variable) {}

    private PortCheck() {}

    /** One line per wanted port that something else holds; empty when all are free. */
    static List<String> taken(List<Wanted> wanted) {
        List<String> lines = new ArrayList<>();
        for (Wanted w : wanted) {
            if (!Ports.isFree(w.port())) {
                lines.add("port " + w.port() + " (" + w.what() + ") is in use; set " + w.variable()
                        + " to another port, or stop what holds it");
            }
        }
        return lines;
    }
}
