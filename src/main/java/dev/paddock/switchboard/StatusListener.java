package dev.paddock.switchboard;

/**
 * Told of every change a person would see in the status (not of each request's coming and going), in order, on
 * the switchboard's notification thread. UI listeners must hop to their own thread.
 */
@FunctionalInterface
public interface StatusListener {
    void onStatus(Status from, Status to);
}
