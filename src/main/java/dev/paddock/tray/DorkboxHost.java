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
    /** {@code SystemTray.setTooltip} throws on longer text. */
    static final int TOOLTIP_LIMIT = 64;

    private final TrayActions actions;
    private final SystemTray tray;
    private MenuModel last;
    private String tooltip; // as last set, for tests

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
        if (tray == null) return Optional.empty();
        XErrors.keepNonFatal(); // Dorkbox started GTK, whose X error handler would end the process
        return Optional.of(new DorkboxHost(actions, tray));
    }

    @Override
    public void show(MenuModel m, int frame) {
        tray.setImage(TrayIcons.draw(m.icon(), Math.max(16, tray.getTrayImageSize()), frame, m.progress()));
        if (m.equals(last)) return;
        last = m;
        Menu menu = tray.getMenu();
        for (var e : new ArrayList<>(menu.getEntries())) menu.remove(e);
        fill(menu, m.entries(), true);
        // last, and fitted: Dorkbox throws on a tooltip over 64 characters
        String fitted = MenuModel.fit(m.tooltip(), TOOLTIP_LIMIT);
        tray.setTooltip(fitted);
        tooltip = fitted;
    }

    private void fill(Menu menu, List<MenuModel.Entry> entries, boolean top) {
        for (MenuModel.Entry e : entries) {
            if (e instanceof MenuModel.Entry.Label l) {
                if (top) tray.setStatus(l.text()); // Dorkbox's own status line, at the menu's top
                else {
                    MenuItem i = new MenuItem(l.text());
                    i.setEnabled(false);
                    menu.add(i);
                }
            } else if (e instanceof MenuModel.Entry.Submenu sub) {
                Menu inner = new Menu(sub.label());
                menu.add(inner);
                fill(inner, sub.entries(), false);
            } else if (e instanceof MenuModel.Entry.Separator) {
                menu.add(new Separator());
            } else if (e instanceof MenuModel.Entry.Action x) {
                MenuItem i = new MenuItem(x.label(), ev -> x.run().accept(actions));
                i.setEnabled(x.enabled());
                menu.add(i);
            } else if (e instanceof MenuModel.Entry.Check c) {
                Checkbox box = new Checkbox(c.label());
                box.setChecked(c.checked());
                box.setCallback(ev -> c.toggle().accept(actions, ((Checkbox) ev.getSource()).getChecked()));
                menu.add(box);
            }
        }
    }

    /** The tooltip as last set. */
    String tooltip() {
        return tooltip;
    }

    /** The entries' labels as shown, for tests. */
    List<String> labels() {
        List<String> out = new ArrayList<>();
        for (var e : tray.getMenu().getEntries()) {
            if (e instanceof MenuItem i) out.add(i.getText() + (i.getEnabled() ? "" : " (disabled)"));
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
