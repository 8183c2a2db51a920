package dev.paddock.autostart;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The {@code Paddock} value under {@code HKCU\Software\Microsoft\Windows\CurrentVersion\Run}, written through the
 * registry API (JNA's Advapi32, which Dorkbox's tray brings): the value's data is handed over as one string, so a
 * launcher under {@code C:\Program Files\…} stays one quoted path — no command line re-quotes it.
 */
public final class WindowsAutostart implements Autostart {
    static final String KEY = "Software\\Microsoft\\Windows\\CurrentVersion\\Run";
    static final String VALUE = "Paddock";

    /** String values under {@code HKEY_CURRENT_USER}; tests pass one in memory. */
    public interface Registry {
        Optional<String> get(String key, String name) throws IOException;

        void set(String key, String name, String data) throws IOException;

        void delete(String key, String name) throws IOException;

        /** The real registry, through Advapi32 (Windows only). */
        Registry CURRENT_USER = new Registry() {
            @Override
            public Optional<String> get(String key, String name) throws IOException {
                try {
                    var hkcu = com.sun.jna.platform.win32.WinReg.HKEY_CURRENT_USER;
                    if (!com.sun.jna.platform.win32.Advapi32Util.registryValueExists(hkcu, key, name))
                        return Optional.empty();
                    return Optional.of(com.sun.jna.platform.win32.Advapi32Util.registryGetStringValue(hkcu, key, name));
                } catch (RuntimeException e) {
                    throw new IOException("cannot read HKCU\\" + key + "\\" + name + ": " + e.getMessage(), e);
                }
            }

            @Override
            public void set(String key, String name, String data) throws IOException {
                try {
                    com.sun.jna.platform.win32.Advapi32Util.registrySetStringValue(
                            com.sun.jna.platform.win32.WinReg.HKEY_CURRENT_USER, key, name, data);
                } catch (RuntimeException e) {
                    throw new IOException("cannot write HKCU\\" + key + "\\" + name + ": " + e.getMessage(), e);
                }
            }

            @Override
            public void delete(String key, String name) throws IOException {
                try {
                    com.sun.jna.platform.win32.Advapi32Util.registryDeleteValue(
                            com.sun.jna.platform.win32.WinReg.HKEY_CURRENT_USER, key, name);
                } catch (RuntimeException e) {
                    throw new IOException("cannot delete HKCU\\" + key + "\\" + name + ": " + e.getMessage(), e);
                }
            }
        };
    }

    private final Registry registry;

    public WindowsAutostart(Registry registry) {
        this.registry = registry;
    }

    /** The value's data: the launcher, quoted, then {@code start}. */
    public static String data(Path launcher) {
        return "\"" + launcher + "\" start";
    }

    @Override
    public void enable(Path launcher) throws IOException {
        registry.set(KEY, VALUE, data(launcher));
    }

    @Override
    public void disable() throws IOException {
        if (isEnabled()) registry.delete(KEY, VALUE);
    }

    @Override
    public boolean isEnabled() throws IOException {
        return registry.get(KEY, VALUE).isPresent();
    }

    @Override
    public String location() {
        return "HKCU\\" + KEY + "\\" + VALUE;
    }
}
