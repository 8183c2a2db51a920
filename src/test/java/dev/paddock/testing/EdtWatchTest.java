package dev.paddock.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import javax.swing.SwingUtilities;
import org.junit.jupiter.api.Test;

/** The GUI tests' watch fails a test for an event-thread stall or exception, and only for those. */
class EdtWatchTest {
    @Test
    void aStallOverTheLimitFailsAndAShortEventDoesNot() throws Exception {
        Display.require();
        EdtWatch quiet = EdtWatch.install(Duration.ofMillis(100)).arm();
        SwingUtilities.invokeAndWait(() -> {});
        quiet.close();

        EdtWatch watch = EdtWatch.install(Duration.ofMillis(100)).arm();
        SwingUtilities.invokeAndWait(() -> busy(Duration.ofMillis(150))); // once: its first use may load classes
        SwingUtilities.invokeAndWait(() -> busy(Duration.ofMillis(250))); // the stall under test, not a wait
        assertThat(watch.longestNanos())
                .isGreaterThanOrEqualTo(Duration.ofMillis(250).toNanos());
        assertThatThrownBy(watch::close).isInstanceOf(AssertionError.class).hasMessageContaining("stalls over 100 ms");
    }

    @Test
    void anExceptionOnTheEventThreadFails() throws Exception {
        Display.require();
        EdtWatch watch = EdtWatch.install(Duration.ofMillis(100)).arm();
        SwingUtilities.invokeLater(() -> {
            throw new IllegalStateException("a refresh that throws");
        });
        SwingUtilities.invokeAndWait(() -> {}); // after the one that throws
        assertThatThrownBy(watch::close)
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("a refresh that throws");
    }

    private static void busy(Duration d) {
        long end = System.nanoTime() + d.toNanos();
        while (System.nanoTime() < end) Thread.onSpinWait();
    }
}
