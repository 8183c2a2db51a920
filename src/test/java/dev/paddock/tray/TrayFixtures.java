package dev.paddock.tray;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** What the tray host tests show and click. */
final class TrayFixtures {
    private TrayFixtures() {}

    /** Presets named as the hub names their models. */
    static final String A = "Meta-Llama-3.1-8B-Instruct-Q4_K_M", B = "qwen2.5-coder-7b-instruct-q4_k_m";

    static final MenuModel RUNNING = new MenuModel(
            "Running " + B,
            "Paddock: " + B + " at http://127.0.0.1:8080, up 2m",
            TrayIcons.Kind.RUNNING,
            List.of(new MenuModel.PresetItem(A, false, false), new MenuModel.PresetItem(B, true, false)),
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
