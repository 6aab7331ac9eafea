package dev.tideline.localaws;

/** A server of the embedded stack that runs in a Node child process. */
interface NodeServer extends AutoCloseable {

    String name();

    boolean isAlive();

    @Override
    void close();
}
