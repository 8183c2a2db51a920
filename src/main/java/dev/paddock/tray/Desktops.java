package dev.paddock.tray;

import dev.paddock.config.PaddockHome;
import java.awt.Desktop;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
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

    private final String path;

    /** Finds its programs on the process's PATH. */
    public Desktops() {
        this(System.getenv("PATH"));
    }

    /** Finds its programs on {@code path}. */
    public Desktops(String path) {
        this.path = path;
    }

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
        return run(
                "notify-send", "--app-name=Paddock", "--urgency=" + (error ? "critical" : "normal"), "--", title, body);
    }

    /**
     * A notification through {@code notify-send} with one button ({@code --action}, libnotify 0.7.10 and later):
     * {@code onAction} runs, on a thread of its own, when the person clicks it. notify-send waits while its
     * notification is shown; after {@link #ACTION_WAIT} it is let go (and the button with it). An older notify-send
     * that does not know the option shows {@code fallbackBody} instead, without the button. False when there is no
     * notify-send.
     */
    public boolean notifySend(
            String title, String body, boolean error, String actionLabel, Runnable onAction, String fallbackBody) {
        Optional<Path> program = LINUX ? onPath("notify-send") : Optional.empty();
        if (program.isEmpty()) return false;
        List<String> cmd = List.of(
                program.get().toString(),
                "--app-name=Paddock",
                "--urgency=" + (error ? "critical" : "normal"),
                "--action=act=" + actionLabel,
                "--",
                title,
                body);
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            return false;
        }
        Thread waiter = new Thread(
                () -> {
                    try {
                        if (!p.waitFor(ACTION_WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)) {
                            p.destroy(); // still shown after all this time: nobody is going to click it
                            return;
                        }
                        String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                        if (said.lines().anyMatch("act"::equals)) onAction.run();
                        else if (p.exitValue() != 0 && said.contains("action")) notifySend(title, fallbackBody, error);
                    } catch (IOException e) {
                        log.debug("notify-send: {}", e.getMessage());
                    } catch (InterruptedException e) {
                        p.destroy();
                    }
                },
                "paddock-notification");
        waiter.setDaemon(true);
        waiter.start();
        return true;
    }

    /** How long a notification's button is waited for. */
    static final java.time.Duration ACTION_WAIT = java.time.Duration.ofMinutes(15);

    private boolean run(String... cmd) {
        Optional<Path> program = onPath(cmd[0]);
        if (program.isEmpty()) return false;
        List<String> line = new java.util.ArrayList<>(List.of(cmd));
        line.set(0, program.get().toString());
        try {
            new ProcessBuilder(line)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private Optional<Path> onPath(String name) {
        return PaddockHome.Paths2.onPath(name, path);
    }
}
