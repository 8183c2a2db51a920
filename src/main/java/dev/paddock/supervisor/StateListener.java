package dev.paddock.supervisor;

/**
 * Told of every state transition, in order, on the supervisor's notification thread (never the supervisor's own
 * loop, so a slow listener delays other listeners but never a load). UI listeners must hop to their own thread.
 */
@FunctionalInterface
public interface StateListener {
    void onTransition(ServerState from, ServerState to);
}
