package dev.paddock.switchboard;

import dev.paddock.supervisor.ServerState;

/**
 * A gateway request admitted by the switchboard: while it is open, no switch begins unless forced (or the
 * {@code drain-timeout} runs out), and then the request is cut first. Closing it lets a waiting switch go.
 */
public interface Pass extends AutoCloseable {
    /** The state when the request was admitted: {@code running} with the server to use, or why there is none. */
    ServerState server();

    /** Runs {@code action} when the request is cut (at once, if it already was); it must not block. */
    void onCut(Runnable action);

    /** Why the request was cut (who switched, to what), or null while it was not. */
    String cutReason();

    @Override
    void close();
}
