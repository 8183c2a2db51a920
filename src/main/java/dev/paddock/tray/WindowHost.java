package dev.paddock.tray;

import java.awt.BorderLayout;
import java.awt.FlowLayout;
import java.awt.event.MouseAdapter;
import java.awt.event.MouseEvent;
import java.awt.event.WindowAdapter;
import java.awt.event.WindowEvent;
import javax.swing.BorderFactory;
import javax.swing.ImageIcon;
import javax.swing.JButton;
import javax.swing.JFrame;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JPopupMenu;
import javax.swing.WindowConstants;

/**
 * The fallback when the desktop has no tray host: a small window with the state, a Menu button that opens the
 * same menu the tray would, and the same icon. Closing it minimises it; Quit is in the menu.
 */
final class WindowHost implements TrayHost {
    private final TrayActions actions;
    private final JFrame frame = new JFrame("Paddock");
    private final JLabel status = new JLabel("Idle");
    private final JButton menuButton = new JButton("Menu ▾");
    private MenuModel last;

    WindowHost(TrayActions actions) {
        this.actions = actions;
        frame.setName("paddock-window");
        status.setName("status");
        menuButton.setName("menu");
        JPanel panel = new JPanel(new BorderLayout(12, 0));
        panel.setBorder(BorderFactory.createEmptyBorder(10, 12, 10, 12));
        panel.add(status, BorderLayout.CENTER);
        JPanel right = new JPanel(new FlowLayout(FlowLayout.RIGHT, 0, 0));
        right.add(menuButton);
        panel.add(right, BorderLayout.EAST);
        frame.setContentPane(panel);
        menuButton.addActionListener(e -> popup().show(menuButton, 0, menuButton.getHeight()));
        panel.addMouseListener(new MouseAdapter() {
            @Override
            public void mousePressed(MouseEvent e) {
                if (e.isPopupTrigger()) popup().show(panel, e.getX(), e.getY());
            }
        });
        frame.setDefaultCloseOperation(WindowConstants.DO_NOTHING_ON_CLOSE);
        frame.addWindowListener(new WindowAdapter() {
            @Override
            public void windowClosing(WindowEvent e) {
                frame.setExtendedState(JFrame.ICONIFIED);
            }
        });
        frame.setSize(360, 72);
        frame.setLocationByPlatform(true);
        frame.setVisible(true);
    }

    JFrame frame() {
        return frame;
    }

    /** The menu for the current model. */
    JPopupMenu popup() {
        return SwingMenus.popup(last, actions);
    }

    @Override
    public void show(MenuModel m, int f) {
        frame.setIconImage(TrayIcons.draw(m.icon(), 64, f, m.progress()));
        status.setIcon(new ImageIcon(TrayIcons.draw(m.icon(), 20, f, m.progress())));
        if (m.equals(last)) return;
        last = m;
        status.setText(m.status());
        status.setToolTipText(m.tooltip());
        frame.setTitle("Paddock: " + m.status());
    }

    @Override
    public boolean notify(String title, String body, boolean error) {
        return false;
    }

    @Override
    public String kind() {
        return "window";
    }

    @Override
    public void close() {
        frame.dispose();
    }
}
