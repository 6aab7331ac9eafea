package dev.tideline.processor.rebuild;

/** What a rebuild has done so far, told as it goes: for the log and the metrics. */
public interface Progress {

    /** A step begins: {@code total} is its amount of work in its unit, or -1 when unknown. */
    void step(String name, long total);

    /** {@code amount} more of the step's work is done ({@code items} more items, for the fold). */
    void advance(long amount);

    /** A line for whoever runs the rebuild. */
    void say(String line);
}
