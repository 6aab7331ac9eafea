package dev.tideline.processor.rebuild;

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

    /** A line for whoever runs the rebuild. */
    void say(String line);
}
