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

    /**
     * Keeps the event thread running for {@code d} of its own processor time: the watch leaves out the time a thread
     * waits for a processor, so a stall spun by the wall clock could come out a little short of it on a busy machine.
     */
    private static void busy(Duration d) {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long end = threads.getCurrentThreadCpuTime() + d.toNanos();
        while (threads.getCurrentThreadCpuTime() < end) Thread.onSpinWait();
    }
}
