package dev.paddock.tray;

/**
 * Something that shows the tray: Dorkbox's tray, AWT's, or a small window when the desktop has no tray host. All
 * methods are called on the Swing event thread.
 */
public interface TrayHost {
    /**
     * Shows {@code model}: icon, tooltip, status line, presets, checkboxes. Called again with the next {@code frame}
     * while the icon is the loading one (the animation).
     */
    void show(MenuModel model, int frame);

    /** A desktop notification, where the host can show one; false when it cannot. */
    boolean notify(String title, String body, boolean error);

    /** A name for logs: {@code dorkbox (Swing)}, {@code awt}, {@code window}. */
    String kind();

    /** Removes the icon or window. */
    void close();
}
