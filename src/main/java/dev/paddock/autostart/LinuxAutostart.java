package dev.paddock.autostart;

import java.nio.file.Path;

/** {@code $XDG_CONFIG_HOME/autostart/dev.paddock.desktop} (the freedesktop autostart spec). */
public final class LinuxAutostart extends FileAutostart {
    public LinuxAutostart(Path autostartDir) {
        super(autostartDir);
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

    @Override
    String fileName() {
        return "dev.paddock.desktop";
    }

    @Override
    String text(Path launcher) {
        return entry(launcher);
    }
}
