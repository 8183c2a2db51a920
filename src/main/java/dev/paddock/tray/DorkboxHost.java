package dev.paddock.tray;

import dorkbox.systemTray.Checkbox;
import dorkbox.systemTray.Menu;
import dorkbox.systemTray.MenuItem;
import dorkbox.systemTray.Separator;
import dorkbox.systemTray.SystemTray;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Dorkbox SystemTray. Configured before it loads: no update check (it would phone home), no automatic fixes, and
 * a forced tray type per platform, so on GNOME it never installs or edits shell extensions; on Linux the Swing
 * type (an XEmbed icon with a Swing menu), which any XEmbed tray host shows.
 */
final class DorkboxHost implements TrayHost {
    private final TrayActions actions;
    private final SystemTray tray;
    private MenuModel last;

    private DorkboxHost(TrayActions actions, SystemTray tray) {
        this.actions = actions;
        this.tray = tray;
    }

    /** Empty when Dorkbox finds no tray host (for example stock GNOME without the AppIndicator extension). */
    static Optional<DorkboxHost> create(TrayActions actions) {
        dorkbox.updates.Updates.INSTANCE.setENABLE(false);
        SystemTray.AUTO_FIX_INCONSISTENCIES = false;
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        SystemTray.FORCE_TRAY_TYPE = os.startsWith("windows")
                ? SystemTray.TrayType.WindowsNative
                : os.startsWith("mac") ? SystemTray.TrayType.Osx : SystemTray.TrayType.Swing;
        SystemTray tray;
        try {
            tray = SystemTray.get("Paddock");
        } catch (RuntimeException | LinkageError e) {
            return Optional.empty();
        }
        return tray == null ? Optional.empty() : Optional.of(new DorkboxHost(actions, tray));
    }

    @Override
    public void show(MenuModel m, int frame) {
        tray.setImage(TrayIcons.draw(m.icon(), Math.max(16, tray.getTrayImageSize()), frame));
        if (m.equals(last)) return;
        last = m;
        tray.setTooltip(m.tooltip());
        tray.setStatus(m.status());
        Menu menu = tray.getMenu();
        for (var e : new ArrayList<>(menu.getEntries())) menu.remove(e);
        if (m.presets().isEmpty()) {
            MenuItem none = new MenuItem("No presets yet");
            none.setEnabled(false);
            menu.add(none);
        }
        for (MenuModel.PresetItem item : m.presets()) {
            Checkbox c = new Checkbox(item.label(), e -> actions.load(item.name()));
            c.setChecked(item.checked() || item.loading());
            menu.add(c);
        }
        menu.add(new Separator());
        add(menu, "Unload", m.canUnload(), actions::unload);
        add(menu, "Copy endpoint", m.endpoint() != null, actions::copyEndpoint);
        add(menu, "Open chat", m.endpoint() != null, actions::openChat);
        menu.add(new Separator());
        add(menu, "Open logs", true, actions::openLogs);
        add(menu, "Open presets folder", true, actions::openPresetsFolder);
        add(menu, "New preset…", true, actions::newPreset);
        add(menu, "Edit preset…", !m.presets().isEmpty(), actions::editPreset);
        add(menu, "Preferences…", true, actions::preferences);
        Checkbox login = new Checkbox("Start at login");
        login.setChecked(m.autostart());
        login.setCallback(e -> actions.setAutostart(((Checkbox) e.getSource()).getChecked()));
        menu.add(login);
        menu.add(new Separator());
        add(menu, "Quit", true, actions::quit);
    }

    private static void add(Menu menu, String label, boolean enabled, Runnable action) {
        MenuItem i = new MenuItem(label, e -> action.run());
        i.setEnabled(enabled);
        menu.add(i);
    }

    /** The entries' labels as shown, for tests. */
    List<String> labels() {
        List<String> out = new ArrayList<>();
        for (var e : tray.getMenu().getEntries()) {
            if (e instanceof MenuItem i) out.add(i.getText());
            else if (e instanceof Checkbox c) out.add((c.getChecked() ? "[x] " : "[ ] ") + c.getText());
        }
        return out;
    }

    @Override
    public boolean notify(String title, String body, boolean error) {
        return false; // Dorkbox's tray has no notifications; the controller uses notify-send or the log
    }

    @Override
    public String kind() {
        return "dorkbox (" + tray.getType() + ")";
    }

    @Override
    public void close() {
        tray.shutdown();
    }
}
