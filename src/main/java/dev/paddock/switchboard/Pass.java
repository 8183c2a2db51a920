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

    /**
     * How long the server it was admitted to stays loaded once no request is in flight, from this request on, in
     * place of its preset's {@code ttl} (a client's {@code keep_alive}): zero unloads it once this request ends, a
     * negative duration keeps it until something else is asked for. Applies while the same server runs.
     */
    void keepAlive(java.time.Duration idle);

    @Override
    void close();
}
