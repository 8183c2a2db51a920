package dev.paddock.tray;

import javax.swing.JCheckBoxMenuItem;
import javax.swing.JMenuItem;
import javax.swing.JPopupMenu;
import javax.swing.JRadioButtonMenuItem;

/** The tray menu as a Swing popup: the fallback window's menu, and what the screenshots show. */
final class SwingMenus {
    private SwingMenus() {}

    static JPopupMenu popup(MenuModel m, TrayActions a) {
        JPopupMenu p = new JPopupMenu();
        JMenuItem status = new JMenuItem(m.status());
        status.setEnabled(false);
        p.add(status);
        p.addSeparator();
        if (m.presets().isEmpty()) {
            JMenuItem none = new JMenuItem("No presets yet");
            none.setEnabled(false);
            p.add(none);
        }
        for (MenuModel.PresetItem item : m.presets()) {
            JRadioButtonMenuItem r = new JRadioButtonMenuItem(item.label(), item.checked() || item.loading());
            r.setName("preset:" + item.name());
            r.addActionListener(e -> a.load(item.name()));
            p.add(r);
        }
        p.addSeparator();
        p.add(item("Unload", m.canUnload(), a::unload));
        p.add(item("Copy endpoint", m.endpoint() != null, a::copyEndpoint));
        p.add(item("Open chat", m.endpoint() != null, a::openChat));
        p.addSeparator();
        p.add(item("Open logs", true, a::openLogs));
        p.add(item("Open presets folder", true, a::openPresetsFolder));
        p.add(item("New preset…", true, a::newPreset));
        p.add(item("Edit preset…", !m.presets().isEmpty(), a::editPreset));
        p.add(item("Preferences…", true, a::preferences));
        JCheckBoxMenuItem login = new JCheckBoxMenuItem("Start at login", m.autostart());
        login.addActionListener(e -> a.setAutostart(login.isSelected()));
        p.add(login);
        p.addSeparator();
        p.add(item("Quit", true, a::quit));
        return p;
    }

    private static JMenuItem item(String label, boolean enabled, Runnable action) {
        JMenuItem i = new JMenuItem(label);
        i.setName(label);
        i.setEnabled(enabled);
        i.addActionListener(e -> action.run());
        return i;
    }
}
