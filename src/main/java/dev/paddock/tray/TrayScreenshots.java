package dev.paddock.tray;

import java.awt.Component;
import javax.swing.JPopupMenu;
import javax.swing.JWindow;

/** Shows the tray's menu as a popup at a given place (for the screenshots in the docs). Event thread only. */
public final class TrayScreenshots {
    private static JWindow anchor;
    private static JPopupMenu shown;

    private TrayScreenshots() {}

    /** Shows the menu of {@code model} with its top-left corner at (x, y); returns it. */
    public static Component showMenu(MenuModel model, int x, int y) {
        hideMenu();
        anchor = new JWindow();
        anchor.setBounds(x, y, 1, 1);
        anchor.setVisible(true);
        shown = SwingMenus.popup(model, new TrayActions() {});
        shown.show(anchor, 0, 0);
        return shown;
    }

    public static void hideMenu() {
        if (shown != null) shown.setVisible(false);
        if (anchor != null) anchor.dispose();
        shown = null;
        anchor = null;
    }
}
