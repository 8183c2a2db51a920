package dev.paddock.ui;

import com.formdev.flatlaf.FlatDarkLaf;
import com.formdev.flatlaf.FlatLaf;
import com.formdev.flatlaf.FlatLightLaf;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import javax.swing.SwingUtilities;

/** FlatLaf, light or dark; {@code system} follows the desktop's preference where it can be read. */
public final class Theme {
    private Theme() {}

    /** Applies {@code theme} (system, light or dark) to every open window. Call on the event thread. */
    public static void apply(String theme) {
        boolean dark =
                switch (theme == null ? "system" : theme) {
                    case "dark" -> true;
                    case "light" -> false;
                    default -> systemPrefersDark();
                };
        FlatLaf laf = dark ? new FlatDarkLaf() : new FlatLightLaf();
        try {
            javax.swing.UIManager.setLookAndFeel(laf);
        } catch (javax.swing.UnsupportedLookAndFeelException e) {
            return;
        }
        for (java.awt.Window w : java.awt.Window.getWindows()) SwingUtilities.updateComponentTreeUI(w);
    }

    /** GNOME's color-scheme or a dark GTK theme on Linux; the AppleInterfaceStyle on macOS; else light. */
    static boolean systemPrefersDark() {
        String gtk = System.getenv("GTK_THEME");
        if (gtk != null && gtk.toLowerCase(Locale.ROOT).contains("dark")) return true;
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (os.startsWith("mac"))
            return ask("defaults", "read", "-g", "AppleInterfaceStyle").contains("Dark");
        if (os.startsWith("linux")) {
            return ask("gsettings", "get", "org.gnome.desktop.interface", "color-scheme")
                    .contains("dark");
        }
        return false;
    }

    private static String ask(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return p.waitFor(2, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : "";
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
