package dev.tideline.processor.redrive;

/** Puts one record on the stream; throws when it was not acknowledged. */
@FunctionalInterface
public interface Republisher {

    void publish(String partitionKey, byte[] data);
}
