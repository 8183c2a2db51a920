package dev.paddock.tray;

import java.awt.AWTException;
import java.awt.CheckboxMenuItem;
import java.awt.Dimension;
import java.awt.MenuItem;
import java.awt.PopupMenu;
import java.awt.SystemTray;
import java.awt.TrayIcon;
import java.util.Optional;

/** {@code java.awt.SystemTray}: used when Dorkbox finds no tray it can drive. */
final class AwtHost implements TrayHost {
    private final TrayActions actions;
    private final TrayIcon icon;
    private final int size;

    private AwtHost(TrayActions actions, TrayIcon icon, int size) {
        this.actions = actions;
        this.icon = icon;
        this.size = size;
    }

    /** Empty when this desktop has no tray AWT can use. Call on the event thread. */
    static Optional<AwtHost> create(TrayActions actions) {
        if (!SystemTray.isSupported()) return Optional.empty();
        SystemTray tray = SystemTray.getSystemTray();
        Dimension d = tray.getTrayIconSize();
        int size = Math.max(16, Math.min(d.width, d.height));
        TrayIcon icon = new TrayIcon(TrayIcons.draw(TrayIcons.Kind.IDLE, size, 0), "Paddock");
        icon.setImageAutoSize(true);
        try {
            tray.add(icon);
        } catch (AWTException e) {
            return Optional.empty();
        }
        return Optional.of(new AwtHost(actions, icon, size));
    }

    TrayIcon icon() {
        return icon;
    }

    private MenuModel last;

    @Override
    public void show(MenuModel m, int frame) {
        icon.setImage(TrayIcons.draw(m.icon(), size, frame));
        if (m.equals(last)) return; // an animation frame: the menu stays as it is (and open, if it is)
        last = m;
        icon.setToolTip(m.tooltip());
        icon.setPopupMenu(menu(m));
    }

    private PopupMenu menu(MenuModel m) {
        PopupMenu p = new PopupMenu();
        MenuItem status = new MenuItem(m.status());
        status.setEnabled(false);
        p.add(status);
        p.addSeparator();
        for (MenuModel.PresetItem item : m.presets()) {
            CheckboxMenuItem c = new CheckboxMenuItem(item.label(), item.checked() || item.loading());
            c.addItemListener(e -> actions.load(item.name()));
            p.add(c);
        }
        p.addSeparator();
        p.add(item("Unload", m.canUnload(), actions::unload));
        p.add(item("Copy endpoint", m.endpoint() != null, actions::copyEndpoint));
        p.add(item("Open chat", m.endpoint() != null, actions::openChat));
        p.addSeparator();
        p.add(item("Open logs", true, actions::openLogs));
        p.add(item("Open presets folder", true, actions::openPresetsFolder));
        p.add(item("New preset…", true, actions::newPreset));
        p.add(item("Edit preset…", !m.presets().isEmpty(), actions::editPreset));
        p.add(item("Preferences…", true, actions::preferences));
        CheckboxMenuItem login = new CheckboxMenuItem("Start at login", m.autostart());
        login.addItemListener(e -> actions.setAutostart(login.getState()));
        p.add(login);
        p.addSeparator();
        p.add(item("Quit", true, actions::quit));
        return p;
    }

    private static MenuItem item(String label, boolean enabled, Runnable action) {
        MenuItem i = new MenuItem(label);
        i.setEnabled(enabled);
        i.addActionListener(e -> action.run());
        return i;
    }

    @Override
    public boolean notify(String title, String body, boolean error) {
        icon.displayMessage(title, body, error ? TrayIcon.MessageType.ERROR : TrayIcon.MessageType.INFO);
        return true;
    }

    @Override
    public String kind() {
        return "awt";
    }

    @Override
    public void close() {
        SystemTray.getSystemTray().remove(icon);
    }
}
