package dev.paddock.tray;

/** What the tray's menu items do. Hosts call these on the toolkit's thread; each returns at once. */
public interface TrayActions {
    void load(String preset);

    void unload();

    void copyEndpoint();

    void openChat();

    void openLogs();

    void openPresetsFolder();

    void newPreset();

    void preferences();

    void setAutostart(boolean on);

    void quit();
}
