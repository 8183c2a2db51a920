package dev.paddock.supervisor;

/**
 * The flat view of a state that status output and JMX attributes show.
 *
 * @param preset null when idle
 * @param pid -1 when no server runs
 * @param error {@code code: message} when failed, else null
 */
public record StateView(
        String state, String preset, String model, String endpoint, long pid, String since, String error) {
    public static StateView of(ServerState s) {
        String since = s.since().toString();
        if (s instanceof ServerState.Loading l) {
            return new StateView(
                    s.name(), l.spec().presetName(), l.spec().model().toString(), null, l.pid(), since, null);
        }
        if (s instanceof ServerState.Running r) {
            return new StateView(
                    s.name(),
                    r.spec().presetName(),
                    r.spec().model().toString(),
                    r.endpoint().toString(),
                    r.pid(),
                    since,
                    null);
        }
        if (s instanceof ServerState.Stopping st) {
            return new StateView(
                    s.name(), st.spec().presetName(), st.spec().model().toString(), null, st.pid(), since, null);
        }
        if (s instanceof ServerState.Failed f) {
            return new StateView(
                    s.name(),
                    f.spec().presetName(),
                    f.spec().model().toString(),
                    null,
                    -1,
                    since,
                    f.code().wireName() + ": " + f.message());
        }
        return new StateView(s.name(), null, null, null, -1, since, null);
    }
}
