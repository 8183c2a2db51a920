package dev.paddock.tray;

/**
 * What the tray's menu items do. Hosts call these on the toolkit's thread; each returns at once. Every action does
 * nothing unless implemented (the screenshots' menu, tests).
 */
public interface TrayActions {
    default void load(String preset) {}

    default void unload() {}

    /** Makes the switch that waits for requests in flight go now, cutting them. */
    default void forceSwitch() {}

    default void copyEndpoint() {}

    default void openChat() {}

    /** Installs llama.cpp's release build (offered while no llama-server is found). */
    default void installServer() {}

    /** Writes the example preset {@code name} into the presets folder and loads it (pulling its model first). */
    default void getStarted(String name) {}

    /** Opens the models window. */
    default void models() {}

    /** Opens the log window (llama.log, live). */
    default void showLog() {}

    default void openPresetsFolder() {}

    default void newPreset() {}

    default void editPreset() {}

    default void preferences() {}

    default void setAutostart(boolean on) {}

    default void quit() {}
}
