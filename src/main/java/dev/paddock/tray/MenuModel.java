package dev.paddock.tray;

import dev.paddock.supervisor.ServerState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What the tray shows, computed from the supervisor's state and the presets, with no toolkit in sight: every tray
 * host (Dorkbox, AWT, the fallback window) renders the same model, and tests check it without a display.
 *
 * @param status the first, disabled line: {@code Running tiny} / {@code Loading tiny…} / {@code Idle}
 * @param tooltip preset, endpoint and uptime
 * @param presets the presets as a radio group
 * @param endpoint the running server's address, for "Copy endpoint" and "Open chat"; null when none runs
 * @param canUnload whether "Unload" does anything
 */
public record MenuModel(
        String status,
        String tooltip,
        TrayIcons.Kind icon,
        List<PresetItem> presets,
        String endpoint,
        boolean canUnload,
        boolean autostart) {

    public MenuModel {
        presets = List.copyOf(presets);
    }

    /**
     * One preset in the radio group.
     *
     * @param checked it runs
     * @param loading it is loading (or was just clicked and the supervisor has not said so yet)
     */
    public record PresetItem(String name, boolean checked, boolean loading) {
        /** The label: the name, with {@code  (loading…)} while it loads. */
        public String label() {
            return loading ? name + "  (loading…)" : name;
        }
    }

    /**
     * @param pending a preset the user just clicked, shown as loading until the supervisor's own state catches up;
     *     null when none
     */
    public static MenuModel of(
            ServerState state, List<String> presetNames, String pending, boolean autostart, Instant now) {
        String preset = null;
        String endpoint = null;
        String status;
        String tooltip;
        TrayIcons.Kind icon;
        if (state instanceof ServerState.Running r) {
            preset = r.spec().presetName();
            endpoint = r.endpoint().toString();
            status = "Running " + preset;
            tooltip = "Paddock: " + preset + " at " + endpoint + ", up " + uptime(Duration.between(r.since(), now));
            icon = TrayIcons.Kind.RUNNING;
        } else if (state instanceof ServerState.Loading l) {
            preset = l.spec().presetName();
            status = "Loading " + preset + "…";
            tooltip = "Paddock: loading " + preset;
            icon = TrayIcons.Kind.LOADING;
        } else if (state instanceof ServerState.Stopping s) {
            preset = s.spec().presetName();
            status = "Stopping " + preset + "…";
            tooltip = "Paddock: stopping " + preset;
            icon = TrayIcons.Kind.LOADING;
        } else if (state instanceof ServerState.Failed f) {
            status = "Failed: " + f.spec().presetName();
            tooltip =
                    "Paddock: " + f.spec().presetName() + " failed (" + f.code().wireName() + ")";
            icon = TrayIcons.Kind.FAILED;
        } else {
            status = "Idle";
            tooltip = "Paddock: nothing loaded";
            icon = TrayIcons.Kind.IDLE;
        }
        boolean loadingState = state instanceof ServerState.Loading;
        if (pending != null && !(state instanceof ServerState.Running && pending.equals(preset))) {
            status = "Loading " + pending + "…";
            icon = TrayIcons.Kind.LOADING;
        }
        String running = state instanceof ServerState.Running ? preset : null;
        String loading = pending != null ? pending : loadingState ? preset : null;
        List<PresetItem> items = presetNames.stream()
                .map(n -> new PresetItem(n, n.equals(running) && loading == null, n.equals(loading)))
                .toList();
        boolean canUnload = !(state instanceof ServerState.Idle) || pending != null;
        return new MenuModel(status, tooltip, icon, items, endpoint, canUnload, autostart);
    }

    /** {@code 14:05}, in the machine's time zone. */
    static String clockTime(Instant t) {
        return java.time.format.DateTimeFormatter.ofPattern("HH:mm")
                .withZone(java.time.ZoneId.systemDefault())
                .format(t);
    }

    static String uptime(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s < 60) return s + "s";
        if (s < 3600) return s / 60 + "m";
        return s / 3600 + "h " + (s % 3600) / 60 + "m";
    }
}
