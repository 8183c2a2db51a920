package dev.paddock.autostart;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * The login item that starts Paddock when the user logs in: an XDG autostart {@code .desktop} file on Linux, a
 * LaunchAgent plist on macOS, a {@code HKCU\…\Run} value on Windows. The entry runs the launcher with an absolute
 * path and {@code start}, which loads {@code default-preset} if one is set.
 */
public interface Autostart {
    /** Creates or replaces the entry for {@code launcher}. */
    void enable(Path launcher) throws IOException;

    /** Removes the entry; nothing happens when there is none. */
    void disable() throws IOException;

    boolean isEnabled() throws IOException;

    /** Where the entry lives, for messages: a file, or the registry key. */
    String location();

    /** The writer for the platform Paddock runs on, from {@code os.name} and the environment. */
    static Autostart forThisPlatform(Map<String, String> env) {
        String os = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT);
        Path home = Path.of(System.getProperty("user.home"));
        if (os.startsWith("mac")) return new MacAutostart(home.resolve("Library/LaunchAgents"));
        if (os.startsWith("windows")) return new WindowsAutostart(WindowsAutostart.Registry.CURRENT_USER);
        String xdg = env.get("XDG_CONFIG_HOME");
        Path config = xdg != null && !xdg.isBlank() ? Path.of(xdg) : home.resolve(".config");
        return new LinuxAutostart(config.resolve("autostart"));
    }

    /**
     * The launcher to put in the entry: {@code paddock.launcher} (set by the launcher scripts to their own
     * absolute path), else null when Paddock was not started through one.
     */
    static Path currentLauncher() {
        String l = System.getProperty("paddock.launcher");
        return l == null || l.isBlank() ? null : Path.of(l).toAbsolutePath().normalize();
    }
}
