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
        for (MenuModel.Entry e : m.entries()) {
            if (e instanceof MenuModel.Entry.Label l) {
                JMenuItem status = new JMenuItem(l.text());
                status.setName("status");
                status.setEnabled(false);
                p.add(status);
            } else if (e instanceof MenuModel.Entry.Separator) {
                p.addSeparator();
            } else if (e instanceof MenuModel.Entry.Action x) {
                JMenuItem i = new JMenuItem(x.label());
                i.setName(x.name());
                i.setEnabled(x.enabled());
                i.addActionListener(ev -> x.run().accept(a));
                p.add(i);
            } else if (e instanceof MenuModel.Entry.Check c) {
                JMenuItem i = c.radio()
                        ? new JRadioButtonMenuItem(c.label(), c.checked())
                        : new JCheckBoxMenuItem(c.label(), c.checked());
                i.setName(c.name());
                i.addActionListener(ev -> c.toggle().accept(a, i.isSelected()));
                p.add(i);
            }
        }
        return p;
    }
}
