package dev.paddock.autostart;

import dev.paddock.config.AtomicFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code $XDG_CONFIG_HOME/autostart/dev.paddock.desktop} (the freedesktop autostart spec). */
public final class LinuxAutostart implements Autostart {
    private final Path dir;

    public LinuxAutostart(Path autostartDir) {
        this.dir = autostartDir;
    }

    public Path file() {
        return dir.resolve("dev.paddock.desktop");
    }

    /** The entry's text for {@code launcher}. */
    public static String entry(Path launcher) {
        return "[Desktop Entry]\n"
                + "Type=Application\n"
                + "Name=Paddock\n"
                + "Comment=Keeps llama-server running and switches models from the tray\n"
                + "Exec=" + DesktopExec.quote(launcher.toString()) + " start\n"
                + "Icon=dev.paddock\n"
                + "Terminal=false\n"
                + "Categories=Utility;Development;\n"
                + "X-GNOME-Autostart-enabled=true\n";
    }

    @Override
    public void enable(Path launcher) throws IOException {
        Files.createDirectories(dir);
        AtomicFile.write(file(), entry(launcher).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void disable() throws IOException {
        Files.deleteIfExists(file());
    }

    @Override
    public boolean isEnabled() {
        return Files.isRegularFile(file());
    }

    @Override
    public String location() {
        return file().toString();
    }

    /** Quoting for the {@code Exec} key of a desktop entry. */
    static final class DesktopExec {
        private DesktopExec() {}

        static String quote(String arg) {
            if (arg.matches("[A-Za-z0-9_./:+-]+")) return arg;
            StringBuilder b = new StringBuilder("\"");
            for (char c : arg.toCharArray()) {
                if (c == '"' || c == '`' || c == '$' || c == '\\') b.append('\\');
                b.append(c);
            }
            return b.append('"').toString();
        }
    }
}
