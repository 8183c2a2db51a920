package dev.paddock.tray;

import java.awt.GraphicsEnvironment;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import javax.swing.SwingUtilities;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Picks the tray host: Dorkbox, else AWT's tray, else the small window (saying so once). */
public final class Tray {
    private static final Logger log = LoggerFactory.getLogger(Tray.class);

    private Tray() {}

    /** Whether a tray can be shown at all: a display is there (not headless). */
    public static boolean displayAvailable() {
        return !GraphicsEnvironment.isHeadless();
    }

    /**
     * Creates the host on the event thread and attaches the controller to it.
     *
     * @param preferred "dorkbox", "awt" or "window" to skip the ones before it (tests, and PADDOCK_TRAY), or null
     */
    public static TrayHost show(TrayController controller, String preferred) throws Exception {
        TrayHost host = create(controller, preferred);
        controller.attach(host);
        log.info("tray shown ({})", host.kind());
        return host;
    }

    /** The host alone, its menu items calling {@code actions}; made on the event thread. */
    public static TrayHost create(TrayActions actions, String preferred) throws Exception {
        AtomicReference<TrayHost> made = new AtomicReference<>();
        SwingUtilities.invokeAndWait(() -> made.set(pick(actions, preferred)));
        return made.get();
    }

    private static TrayHost pick(TrayActions c, String preferred) {
        String p = preferred == null ? "dorkbox" : preferred;
        if (p.equals("dorkbox")) {
            Optional<DorkboxHost> d = DorkboxHost.create(c);
            if (d.isPresent()) return d.get();
            p = "awt";
        }
        if (p.equals("awt")) {
            Optional<AwtHost> a = AwtHost.create(c);
            if (a.isPresent()) return a.get();
        }
        log.warn("no system tray on this desktop (on GNOME, the AppIndicator extension adds one);"
                + " Paddock shows a small window instead");
        return new WindowHost(c);
    }
}
