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
    /** Windows cuts tray tooltips at 127 characters (NOTIFYICONDATA's szTip); no AWT desktop shows more. */
    static final int TOOLTIP_LIMIT = 127;

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
        icon.setImage(TrayIcons.draw(m.icon(), size, frame, m.progress()));
        if (m.equals(last)) return; // an animation frame: the menu stays as it is (and open, if it is)
        last = m;
        icon.setPopupMenu(menu(m)); // the menu first: nothing after it can leave it stale
        icon.setToolTip(MenuModel.fit(m.tooltip(), TOOLTIP_LIMIT));
    }

    private PopupMenu menu(MenuModel m) {
        PopupMenu p = new PopupMenu();
        fill(p, m.entries());
        return p;
    }

    private void fill(java.awt.Menu into, java.util.List<MenuModel.Entry> entries) {
        for (MenuModel.Entry e : entries) {
            if (e instanceof MenuModel.Entry.Label l) {
                MenuItem status = new MenuItem(l.text());
                status.setEnabled(false);
                into.add(status);
            } else if (e instanceof MenuModel.Entry.Separator) {
                into.addSeparator();
            } else if (e instanceof MenuModel.Entry.Action x) {
                MenuItem i = new MenuItem(x.label());
                i.setEnabled(x.enabled());
                i.addActionListener(ev -> x.run().accept(actions));
                into.add(i);
            } else if (e instanceof MenuModel.Entry.Check c) {
                CheckboxMenuItem i = new CheckboxMenuItem(c.label(), c.checked());
                i.addItemListener(ev -> c.toggle().accept(actions, i.getState()));
                into.add(i);
            } else if (e instanceof MenuModel.Entry.Submenu sub) {
                java.awt.Menu menu = new java.awt.Menu(sub.label());
                fill(menu, sub.entries());
                into.add(menu);
            }
        }
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
