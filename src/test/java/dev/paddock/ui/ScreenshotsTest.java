package dev.paddock.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.paddock.config.PaddockHome;
import dev.paddock.testing.Display;
import dev.paddock.tray.MenuModel;
import dev.paddock.tray.TrayIcons;
import dev.paddock.tray.TrayScreenshots;
import java.awt.Component;
import java.awt.Rectangle;
import java.awt.Robot;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import javax.imageio.ImageIO;
import javax.swing.JDialog;
import javax.swing.SwingUtilities;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Screenshots of the tray menu, the preferences and the preset editor, taken on the test display (Xvfb and fluxbox
 * in CI) into {@code target/screenshots/}; the ones in {@code docs/screenshots/} were taken this way.
 */
class ScreenshotsTest {
    @TempDir
    Path dir;

    private static final Path OUT = Path.of(System.getProperty("paddock.project.dir", "."), "target/screenshots");

    @Test
    void theTrayMenuAndTheDialogsAreCapturedFromTheScreen() throws Exception {
        Display.require();
        Files.createDirectories(OUT);
        SwingUtilities.invokeAndWait(() -> Theme.apply("light"));
        MenuModel model = new MenuModel(
                "Running qwen2.5-0.5b",
                "Paddock: qwen2.5-0.5b at http://127.0.0.1:8080, up 12m",
                TrayIcons.Kind.RUNNING,
                List.of(
                        new MenuModel.PresetItem("gemma-3-1b", false, false),
                        new MenuModel.PresetItem("llama-3.2-1b", false, false),
                        new MenuModel.PresetItem("qwen2.5-0.5b", true, false),
                        new MenuModel.PresetItem("smollm2-360m", false, false)),
                "http://127.0.0.1:8080",
                true,
                true,
                null);
        AtomicReference<Component> menu = new AtomicReference<>();
        SwingUtilities.invokeAndWait(() -> menu.set(TrayScreenshots.showMenu(model, 60, 60)));
        save(menu.get(), "tray-menu.png");
        SwingUtilities.invokeAndWait(TrayScreenshots::hideMenu);

        PaddockHome home = new PaddockHome(Files.createDirectories(dir.resolve("home")));
        AtomicReference<JDialog> prefs = new AtomicReference<>();
        SwingUtilities.invokeAndWait(() -> {
            prefs.set(new PreferencesDialog(null, home, List.of("qwen2.5-0.5b", "gemma-3-1b"), true, s -> {}));
            prefs.get().setLocation(40, 40);
            prefs.get().setVisible(true);
        });
        save(prefs.get(), "preferences.png");
        SwingUtilities.invokeAndWait(prefs.get()::dispose);

        Files.writeString(dir.resolve("qwen2.5-0.5b-instruct-q4_k_m.gguf"), "x");
        AtomicReference<JDialog> editor = new AtomicReference<>();
        SwingUtilities.invokeAndWait(() -> {
            editor.set(new PresetEditor(null, home.defaultPresetsDir(), null, p -> "llama-server -m …", f -> {}));
            editor.get().setLocation(40, 40);
            editor.get().setVisible(true);
        });
        save(editor.get(), "preset-editor.png");
        SwingUtilities.invokeAndWait(editor.get()::dispose);

        BufferedImage icons = new BufferedImage(4 * 40, 40, BufferedImage.TYPE_INT_ARGB);
        var g = icons.createGraphics();
        int x = 4;
        for (TrayIcons.Kind k : TrayIcons.Kind.values()) {
            g.drawImage(TrayIcons.draw(k, 32, 1), x, 4, null);
            x += 40;
        }
        g.dispose();
        ImageIO.write(icons, "png", OUT.resolve("tray-icons.png").toFile());
    }

    private static void save(Component c, String name) throws Exception {
        await().until(c::isShowing);
        Robot robot = new Robot();
        AtomicReference<BufferedImage> shot = new AtomicReference<>();
        // captured again until the window manager has mapped and painted it: never a blank rectangle
        await().untilAsserted(() -> {
            robot.waitForIdle();
            AtomicReference<Rectangle> bounds = new AtomicReference<>();
            SwingUtilities.invokeAndWait(() -> bounds.set(new Rectangle(c.getLocationOnScreen(), c.getSize())));
            shot.set(robot.createScreenCapture(bounds.get()));
            Set<Integer> colours = new HashSet<>();
            for (int y = 0; y < shot.get().getHeight(); y += 3) {
                for (int x = 0; x < shot.get().getWidth(); x += 3)
                    colours.add(shot.get().getRGB(x, y));
            }
            assertThat(colours.size())
                    .as(name + " shows something, not a blank rectangle")
                    .isGreaterThan(20);
        });
        ImageIO.write(shot.get(), "png", OUT.resolve(name).toFile());
    }
}
