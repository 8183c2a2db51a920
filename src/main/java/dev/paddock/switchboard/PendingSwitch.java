package dev.paddock.switchboard;

/**
 * A switch that waits for the requests in flight to finish before it begins.
 *
 * @param to the preset it will load, or null for an unload
 * @param origin who asked for it
 * @param waitingFor the requests it still waits for
 */
public record PendingSwitch(String to, String origin, int waitingFor) {
    /** {@code switching to qwen after 2 requests} / {@code unloading after 1 request}. */
    public String describe() {
        String what = to == null ? "unloading" : "switching to " + to;
        return what + " after " + waitingFor + (waitingFor == 1 ? " request" : " requests");
    }
}
