package dev.paddock.tray;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** What the tray host tests show and click. */
final class TrayFixtures {
    private TrayFixtures() {}

    static final MenuModel RUNNING = new MenuModel(
            "Running b",
            "Paddock: b at http://127.0.0.1:8080, up 2m",
            TrayIcons.Kind.RUNNING,
            List.of(new MenuModel.PresetItem("a", false, false), new MenuModel.PresetItem("b", true, false)),
            "http://127.0.0.1:8080",
            true,
            false,
            null,
            -1,
            false,
            List.of());

    /** Records the loads and unloads clicked. */
    static final class Clicks implements TrayActions {
        final List<String> seen = new CopyOnWriteArrayList<>();

        @Override
        public void load(String preset) {
            seen.add("load " + preset);
        }

        @Override
        public void unload() {
            seen.add("unload");
        }
    }
}
