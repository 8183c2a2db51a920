package dev.paddock.tray;

import dev.paddock.config.PaddockHome;
import java.awt.Desktop;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opening files, folders and URLs, and desktop notifications. On Linux {@code xdg-open} and {@code notify-send}
 * are used when present (AWT's Desktop is missing or unreliable under many window managers); elsewhere AWT's
 * Desktop.
 */
public class Desktops {
    private static final Logger log = LoggerFactory.getLogger(Desktops.class);
    private static final boolean LINUX = System.getProperty("os.name", "").startsWith("Linux");

    public void browse(String url) {
        if (LINUX && run("xdg-open", url)) return;
        try {
            if (Desktop.isDesktopSupported() && Desktop.getDesktop().isSupported(Desktop.Action.BROWSE)) {
                Desktop.getDesktop().browse(URI.create(url));
                return;
            }
        } catch (IOException | RuntimeException e) {
            log.warn("cannot open {}: {}", url, e.getMessage());
        }
        log.warn("no way to open a browser here; the address is {}", url);
    }

    public void open(Path path) {
        if (LINUX && run("xdg-open", path.toString())) return;
        try {
            if (Desktop.isDesktopSupported() && Desktop.getDesktop().isSupported(Desktop.Action.OPEN)) {
                Desktop.getDesktop().open(path.toFile());
                return;
            }
        } catch (IOException | RuntimeException e) {
            log.warn("cannot open {}: {}", path, e.getMessage());
        }
        log.warn("no way to open {} here", path);
    }

    /** A desktop notification through {@code notify-send}; false when there is none to use. */
    public boolean notifySend(String title, String body, boolean error) {
        if (!LINUX || onPath("notify-send").isEmpty()) return false;
        return run("notify-send", "--app-name=Paddock", "--urgency=" + (error ? "critical" : "normal"), title, body);
    }

    private static boolean run(String... cmd) {
        if (onPath(cmd[0]).isEmpty()) return false;
        try {
            new ProcessBuilder(List.of(cmd))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static Optional<Path> onPath(String name) {
        return PaddockHome.Paths2.onPath(name, System.getenv("PATH"));
    }
}
