package dev.tideline.processor.rebuild;

import java.time.Duration;
import java.util.Locale;

/** What a rebuild has done so far, told as it goes: for the log and the metrics. */
public interface Progress {

    /** A step that reads {@code objects} objects of the archive, {@code bytes} bytes in all, begins. */
    void reading(String name, int objects, long bytes);

    /** One more object of {@code bytes} bytes is read. */
    void read(long bytes);

    /** The engine has the records to fold: {@code records} of them. */
    void folding(long records);

    /** A step whose amount is not known beforehand (writing the items, catching up) begins. */
    void step(String name);

    /** {@code items} more items are written. */
    void wrote(long items);

    /** The new generation's consumer has reached the live one in {@code reached} of {@code shards} shards. */
    void caughtUp(int reached, int shards);

    /** A line for whoever runs the rebuild. */
    void say(String line);

    /** {@code n} of {@code noun} for a line: "1 object", "7,679 records". */
    static String amount(long n, String noun) {
        return String.format(Locale.ROOT, "%,d %s%s", n, noun, n == 1 ? "" : "s");
    }

    /** A duration for a line, in its largest whole unit: "1h", "90m", "7d", "45s". */
    static String duration(Duration d) {
        long s = d.toSeconds();
        if (s != 0 && s % 86_400 == 0) {
            return s / 86_400 + "d";
        }
        if (s != 0 && s % 3_600 == 0) {
            return s / 3_600 + "h";
        }
        if (s != 0 && s % 60 == 0) {
            return s / 60 + "m";
        }
        return d.toMillis() % 1000 == 0 ? s + "s" : d.toMillis() + "ms";
    }
}
