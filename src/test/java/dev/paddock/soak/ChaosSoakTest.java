package dev.paddock.soak;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.config.Durations;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The chaos soak in CI: five minutes unless {@code -Dpaddock.soak.duration=…}; the report goes to the test output
 * and {@code target/soak-report.txt}.
 */
class ChaosSoakTest {
    @Test
    @Timeout(value = 40, unit = java.util.concurrent.TimeUnit.MINUTES)
    void paddockKeepsItsPromisesUnderFire() throws Exception {
        Duration d = Durations.parse(System.getProperty("paddock.soak.duration", "5m"));
        long seed = Long.getLong("paddock.soak.seed", System.nanoTime());
        ChaosSoak.Report r = new ChaosSoak(d, seed).run();
        System.out.print(r.text());
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target/soak-report.txt"), r.text());

        assertThat(r.violations()).as(r.text()).isEmpty();
        assertThat(r.checks()).as("invariant checks").isGreaterThan(10);
        assertThat(r.faults())
                .as("every kind of fault was injected")
                .containsKeys("llama-server SIGKILL", "sigterm ignored", "crash mid-run", "log flood");
        assertThat(r.faults().keySet()).as("Paddock killed and restarted").contains("Paddock SIGKILL + restart");
        assertThat(r.operations()).containsKeys("cli", "jmx", "gateway requests", "gateway streams");
    }
}
