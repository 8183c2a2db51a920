package dev.paddock.tray;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.testing.Display;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.swing.JPopupMenu;
import javax.swing.JRadioButtonMenuItem;
import javax.swing.SwingUtilities;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The fallback window when the desktop has no tray at all. Each tray test class runs in its own JVM (surefire forks per class). */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WindowHostTest {
    private static final MenuModel RUNNING = TrayFixtures.RUNNING;

    private final TrayFixtures.Clicks actions = new TrayFixtures.Clicks();

    @BeforeEach
    void display() {
        Display.require();
    }

    @Test
    void theFallbackWindowShowsTheStateAndTheSameMenu() throws Exception {
        AtomicReference<WindowHost> host = new AtomicReference<>();
        SwingUtilities.invokeAndWait(() -> {
            host.set(new WindowHost(actions));
            host.get().show(RUNNING, 0);
        });
        try {
            assertThat(host.get().frame().isShowing()).isTrue();
            assertThat(host.get().frame().getTitle()).isEqualTo("Paddock: Running " + TrayFixtures.B);
            AtomicReference<JPopupMenu> popup = new AtomicReference<>();
            SwingUtilities.invokeAndWait(() -> popup.set(host.get().popup()));
            JRadioButtonMenuItem a = (JRadioButtonMenuItem) popup.get().getComponent(2);
            assertThat(a.getText()).isEqualTo(TrayFixtures.A);
            SwingUtilities.invokeAndWait(a::doClick);
            assertThat(actions.seen).containsExactly("load " + TrayFixtures.A);
        } finally {
            SwingUtilities.invokeAndWait(() -> host.get().close());
        }
    }
}
