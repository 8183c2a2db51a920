package dev.paddock.tray;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.paddock.testing.Display;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.swing.SwingUtilities;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Dorkbox's tray on the display (Xvfb with fluxbox in CI, an XEmbed tray host). Each tray test class runs in its own JVM (surefire forks per class). */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DorkboxTrayTest {
    private static final MenuModel RUNNING = TrayFixtures.RUNNING;

    private final TrayFixtures.Clicks actions = new TrayFixtures.Clicks();

    @BeforeEach
    void display() {
        Display.require();
    }

    @Test
    void dorkboxShowsTheTrayWithThePresetsAsCheckboxes() throws Exception {
        AtomicReference<DorkboxHost> host = new AtomicReference<>();
        SwingUtilities.invokeAndWait(() -> host.set(DorkboxHost.create(actions).orElse(null)));
        assertThat(host.get()).as("Dorkbox found the tray host").isNotNull();
        try {
            SwingUtilities.invokeAndWait(() -> host.get().show(RUNNING, 0));
            assertThat(host.get().kind()).isEqualTo("dorkbox (Swing)");
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(host.get().labels())
                            .startsWith("[ ] " + TrayFixtures.A, "[x] " + TrayFixtures.B)
                            .contains("Unload", "Copy endpoint", "Open chat", "Preferences…", "Quit"));
        } finally {
            SwingUtilities.invokeAndWait(() -> host.get().close());
        }
    }
}
