package dev.paddock.supervisor;

import dev.paddock.core.ErrorCode;

/** How a load request ended. Expected outcomes are data; only bugs are exceptions. */
public sealed interface LoadResult {
    /** The server is healthy. */
    record Loaded(ServerState.Running state) implements LoadResult {}

    /** The load failed; the state is {@code failed} with the same code. */
    record Failed(ErrorCode code, String message) implements LoadResult {}

    /** Another load or an unload came first; {@code reason} says which. */
    record Cancelled(String reason) implements LoadResult {}
}
