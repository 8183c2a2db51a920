package dev.paddock.tray;

import javax.swing.JCheckBoxMenuItem;
import javax.swing.JMenuItem;
import javax.swing.JPopupMenu;
import javax.swing.JRadioButtonMenuItem;

/** Draws the menu as a Swing popup: the fallback window's menu, and what the screenshots show. */
final class SwingMenus {
    private SwingMenus() {}

    static JPopupMenu popup(MenuModel m, TrayActions a) {
        JPopupMenu p = new JPopupMenu();
        fill(p, m.entries(), a);
        return p;
    }

    private static void fill(java.awt.Container into, java.util.List<MenuModel.Entry> entries, TrayActions a) {
        for (MenuModel.Entry e : entries) {
            if (e instanceof MenuModel.Entry.Label l) {
                JMenuItem status = new JMenuItem(l.text());
                status.setName("status");
                status.setEnabled(false);
                into.add(status);
            } else if (e instanceof MenuModel.Entry.Separator) {
                into.add(new javax.swing.JPopupMenu.Separator());
            } else if (e instanceof MenuModel.Entry.Action x) {
                JMenuItem i = new JMenuItem(x.label());
                i.setName(x.name());
                i.setEnabled(x.enabled());
                i.addActionListener(ev -> x.run().accept(a));
                into.add(i);
            } else if (e instanceof MenuModel.Entry.Check c) {
                JMenuItem i = c.radio()
                        ? new JRadioButtonMenuItem(c.label(), c.checked())
                        : new JCheckBoxMenuItem(c.label(), c.checked());
                i.setName(c.name());
                i.addActionListener(ev -> c.toggle().accept(a, i.isSelected()));
                into.add(i);
            } else if (e instanceof MenuModel.Entry.Submenu sub) {
                javax.swing.JMenu menu = new javax.swing.JMenu(sub.label());
                menu.setName(sub.name());
                fill(menu.getPopupMenu(), sub.entries(), a);
                into.add(menu);
            }
        }
    }
}
