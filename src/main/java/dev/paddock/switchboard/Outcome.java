package dev.paddock.switchboard;

import dev.paddock.core.ErrorCode;
import dev.paddock.supervisor.ServerState;

/** How a switch asked of the switchboard ended. Expected outcomes are data; only bugs are exceptions. */
public sealed interface Outcome {
    /** The switch is done: {@code state} is what runs now (idle after an unload). */
    record Done(ServerState state) implements Outcome {}

    /** The load failed; the state is {@code failed} with the same code. */
    record Failed(ErrorCode code, String message) implements Outcome {}

    /** A later switch came first; {@code reason} says which. */
    record Cancelled(String reason) implements Outcome {}
}
