package dev.paddock.tray;

import dev.paddock.supervisor.ServerState;
import dev.paddock.switchboard.PendingSwitch;
import dev.paddock.switchboard.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * What the tray shows, computed from the switchboard's status and the presets, with no toolkit in sight: the menu
 * is built here once, as data ({@link #entries()}), and every tray host (Dorkbox, AWT, the fallback window) only
 * draws it; tests check it without a display.
 *
 * @param status the first, disabled line: {@code Running tiny} / {@code Loading tiny…} / {@code Idle}
 * @param tooltip preset, endpoint, uptime and what the model is, one fact per line; each host fits it to its limit
 * @param presets the presets as a radio group
 * @param endpoint the running server's address, for "Copy endpoint" and "Open chat"; null when none runs
 * @param canUnload whether "Unload" does anything
 * @param forceLabel {@code Switch now (cuts 2 requests)} while a switch waits for requests in flight; else null
 * @param progress how far the load is, 0 to 1, for the icon's arc; -1 when unknown or nothing loads
 * @param offerServer no llama-server was found: the menu offers "Install llama-server…" at its top
 * @param examples example presets a "Get started" submenu offers while there are no presets; empty: none offered
 */
public record MenuModel(
        String status,
        String tooltip,
        TrayIcons.Kind icon,
        List<PresetItem> presets,
        String endpoint,
        boolean canUnload,
        boolean autostart,
        String forceLabel,
        double progress,
        boolean offerServer,
        List<Example> examples) {

    public MenuModel {
        presets = List.copyOf(presets);
        examples = List.copyOf(examples);
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

    /** One line of the menu, as every host draws it. */
    public sealed interface Entry {
        /** The status line: shown, never clickable. */
        record Label(String text) implements Entry {}

        record Separator() implements Entry {}

        /**
         * A command.
         *
         * @param name a stable name for tests and accessibility ({@code Unload}, {@code preset:qwen})
         */
        record Action(String name, String label, boolean enabled, Consumer<TrayActions> run) implements Entry {}

        /**
         * A check box (or, with {@code radio}, one of the presets' radio group); {@code toggle} gets the new state.
         */
        record Check(String name, String label, boolean checked, boolean radio, BiConsumer<TrayActions, Boolean> toggle)
                implements Entry {}

        /** A submenu of further entries (no deeper submenus). */
        record Submenu(String name, String label, List<Entry> entries) implements Entry {
            public Submenu {
                entries = List.copyOf(entries);
            }
        }
    }

    /** An example preset offered on an empty home: its name and what it is. */
    public record Example(String name, String description) {}

    /** The whole menu, top to bottom. */
    public List<Entry> entries() {
        List<Entry> e = new ArrayList<>();
        e.add(new Entry.Label(status));
        if (offerServer) {
            e.add(new Entry.Action("Install llama-server…", "Install llama-server…", true, TrayActions::installServer));
        }
        e.add(new Entry.Separator());
        if (presets.isEmpty() && examples.isEmpty()) {
            e.add(new Entry.Action("no-presets", "No presets yet", false, a -> {}));
        } else if (presets.isEmpty()) {
            List<Entry> sub = new ArrayList<>();
            sub.add(new Entry.Label("Download one and run it:"));
            for (Example x : examples) {
                sub.add(new Entry.Action(
                        "example:" + x.name(),
                        x.name() + (x.description() == null ? "" : " — " + x.description()),
                        true,
                        a -> a.getStarted(x.name())));
            }
            e.add(new Entry.Submenu("Get started", "Get started", sub));
        }
        for (PresetItem p : presets) {
            e.add(new Entry.Check(
                    "preset:" + p.name(), p.label(), p.checked() || p.loading(), true, (a, on) -> a.load(p.name())));
        }
        if (forceLabel != null) e.add(new Entry.Action("Switch now", forceLabel, true, TrayActions::forceSwitch));
        e.add(new Entry.Action("Models…", "Models…", true, TrayActions::models));
        e.add(new Entry.Separator());
        e.add(new Entry.Action("Unload", "Unload", canUnload, TrayActions::unload));
        e.add(new Entry.Action("Copy endpoint", "Copy endpoint", endpoint != null, TrayActions::copyEndpoint));
        e.add(new Entry.Action("Open chat", "Open chat", endpoint != null, TrayActions::openChat));
        e.add(new Entry.Separator());
        e.add(new Entry.Action("Show log…", "Show log…", true, TrayActions::showLog));
        e.add(new Entry.Action("Open presets folder", "Open presets folder", true, TrayActions::openPresetsFolder));
        e.add(new Entry.Action("New preset…", "New preset…", true, TrayActions::newPreset));
        e.add(new Entry.Action("Edit preset…", "Edit preset…", !presets.isEmpty(), TrayActions::editPreset));
        e.add(new Entry.Action("Preferences…", "Preferences…", true, TrayActions::preferences));
        e.add(new Entry.Check("Start at login", "Start at login", autostart, false, TrayActions::setAutostart));
        e.add(new Entry.Separator());
        e.add(new Entry.Action("Quit", "Quit", true, TrayActions::quit));
        return e;
    }

    /**
     * @param pending a preset the user just clicked, shown as loading until the switchboard's own status catches up;
     *     null when none
     */
    public static MenuModel of(
            Status status, List<String> presetNames, String pending, boolean autostart, Instant now) {
        ServerState state = status.server();
        String preset = null;
        String endpoint = null;
        String line;
        String tooltip;
        TrayIcons.Kind icon;
        if (state instanceof ServerState.Running r) {
            preset = r.spec().presetName();
            endpoint = r.endpoint().toString();
            line = "Running " + preset;
            tooltip = "Paddock: " + preset + "\n" + endpoint + ", up " + uptime(Duration.between(r.since(), now));
            icon = TrayIcons.Kind.RUNNING;
        } else if (state instanceof ServerState.Loading l) {
            preset = l.spec().presetName();
            String pct = status.loadProgress() == null ? "" : " " + (int) Math.floor(status.loadProgress() * 100) + "%";
            line = "Loading " + preset + "…" + pct;
            tooltip = "Paddock: loading " + preset + pct;
            icon = TrayIcons.Kind.LOADING;
        } else if (state instanceof ServerState.Stopping s) {
            preset = s.spec().presetName();
            line = "Stopping " + preset + "…";
            tooltip = "Paddock: stopping " + preset;
            icon = TrayIcons.Kind.LOADING;
        } else if (state instanceof ServerState.Failed f) {
            line = "Failed: " + f.spec().presetName();
            tooltip =
                    "Paddock: " + f.spec().presetName() + " failed (" + f.code().wireName() + ")";
            icon = TrayIcons.Kind.FAILED;
        } else {
            line = "Idle";
            tooltip = "Paddock: nothing loaded";
            icon = TrayIcons.Kind.IDLE;
        }
        PendingSwitch waiting = status.pending();
        String forceLabel = null;
        if (waiting != null) {
            line = capitalized(waiting.describe());
            forceLabel = "Switch now (cuts " + waiting.waitingFor()
                    + (waiting.waitingFor() == 1 ? " request)" : " requests)");
        } else if (pending != null && !(state instanceof ServerState.Running && pending.equals(preset))) {
            line = "Loading " + pending + "…";
            icon = TrayIcons.Kind.LOADING;
        }
        if (status.idleUnloadAt() != null && state instanceof ServerState.Running) {
            String unloads = "unloads at " + clockTime(status.idleUnloadAt()) + " if idle";
            line = line + " (" + unloads + ")";
            tooltip = tooltip + "\n" + unloads + " (ttl)";
        }
        if (!status.needsRestart().isEmpty()) tooltip = tooltip + "\nrestart Paddock to apply " + status.needsRestart();
        String running = state instanceof ServerState.Running ? preset : null;
        String loading = pending != null ? pending : state instanceof ServerState.Loading ? preset : null;
        List<PresetItem> items = presetNames.stream()
                .map(n -> new PresetItem(n, n.equals(running) && loading == null, n.equals(loading)))
                .toList();
        boolean canUnload = !(state instanceof ServerState.Idle) || pending != null;
        double progress =
                state instanceof ServerState.Loading && status.loadProgress() != null ? status.loadProgress() : -1;
        return new MenuModel(
                line, tooltip, icon, items, endpoint, canUnload, autostart, forceLabel, progress, false, List.of());
    }

    /** The same model with {@code more} as a further line of the tooltip (what the running model is). */
    public MenuModel withTooltipLine(String more) {
        if (more == null || more.isBlank()) return this;
        return changed(status, tooltip + "\n" + more, icon, progress, offerServer, examples);
    }

    /** The same model offering {@code examples} in a "Get started" submenu while there are no presets. */
    public MenuModel withExamples(List<Example> examples) {
        return changed(status, tooltip, icon, progress, offerServer, examples);
    }

    /**
     * The same model offering to install llama-server, which a load would not find; an idle tray says so in its
     * status line and tooltip.
     */
    public MenuModel offeringServer() {
        boolean idle = icon == TrayIcons.Kind.IDLE || icon == TrayIcons.Kind.FAILED;
        return changed(
                idle ? "No llama-server yet" : status,
                idle ? "Paddock: no llama-server yet\nmenu: Install llama-server…" : tooltip,
                icon,
                progress,
                true,
                examples);
    }

    /**
     * The same model showing {@code line} (a download) in the status line, with the loading icon's arc at {@code
     * progress} (0 to 1; -1 turns it instead).
     */
    public MenuModel showing(String line, double progress) {
        return changed(line, "Paddock: " + line, TrayIcons.Kind.LOADING, progress, offerServer, examples);
    }

    /** This model with the parts a refresh adds to it replaced; the presets and actions stay. */
    private MenuModel changed(
            String status,
            String tooltip,
            TrayIcons.Kind icon,
            double progress,
            boolean offerServer,
            List<Example> examples) {
        return new MenuModel(
                status,
                tooltip,
                icon,
                presets,
                endpoint,
                canUnload,
                autostart,
                forceLabel,
                progress,
                offerServer,
                examples);
    }

    /**
     * {@code text} fitted to a host's tooltip limit: whole lines while they fit, then as much of the next as fits with
     * an ellipsis. Never longer than {@code limit} characters (Dorkbox throws on more than 64).
     */
    public static String fit(String text, int limit) {
        if (text.length() <= limit) return text;
        StringBuilder b = new StringBuilder();
        for (String line : text.split("\n")) {
            String sep = b.length() == 0 ? "" : "\n";
            if (b.length() + sep.length() + line.length() <= limit) {
                b.append(sep).append(line);
                continue;
            }
            int room = limit - b.length() - sep.length() - 1;
            if (room >= 8 || b.length() == 0)
                b.append(sep).append(line, 0, Math.max(0, room)).append('…');
            break;
        }
        return b.length() <= limit ? b.toString() : b.substring(0, limit - 1) + "…";
    }

    private static String capitalized(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
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
