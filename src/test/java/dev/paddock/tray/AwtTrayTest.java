package dev.paddock.tray;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.testing.Display;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.swing.SwingUtilities;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** java.awt.SystemTray on the display: the fallback when Dorkbox finds no tray. Each tray test class runs in its own JVM (surefire forks per class). */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AwtTrayTest {
    private static final MenuModel RUNNING = TrayFixtures.RUNNING;

    private final TrayFixtures.Clicks actions = new TrayFixtures.Clicks();

    @BeforeEach
    void display() {
        Display.require();
    }

    @Test
    void awtTraySupportsTheFallbackIcon() throws Exception {
        AtomicReference<AwtHost> host = new AtomicReference<>();
        SwingUtilities.invokeAndWait(() -> host.set(AwtHost.create(actions).orElse(null)));
        assertThat(host.get())
                .as("java.awt.SystemTray is supported on this display")
                .isNotNull();
        try {
            SwingUtilities.invokeAndWait(() -> host.get().show(RUNNING, 0));
            assertThat(java.awt.SystemTray.getSystemTray().getTrayIcons())
                    .contains(host.get().icon());
            assertThat(host.get().icon().getToolTip()).isEqualTo(RUNNING.tooltip());
            java.awt.PopupMenu menu = host.get().icon().getPopupMenu();
            assertThat(menu.getItem(0).getLabel()).isEqualTo("Running " + TrayFixtures.B);
            assertThat(((java.awt.CheckboxMenuItem) menu.getItem(3)).getState()).isTrue();
        } finally {
            SwingUtilities.invokeAndWait(() -> host.get().close());
        }
    }
}
