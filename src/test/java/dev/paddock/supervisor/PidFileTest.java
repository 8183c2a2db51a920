package dev.paddock.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.paddock.config.PaddockHome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PidFileTest {
    @TempDir
    Path dir;

    /**
     * {@code apt upgrade paddock} (or a removal) while Paddock runs replaces the Java it runs on: Linux then names
     * that program {@code ".../bin/java (deleted)"}. It is still the resident Paddock, so {@code paddock stop} must
     * find it (it said "not running" while {@code paddock start} said "already running").
     */
    @Test
    void aPaddockWhoseJavaWasReplacedByAnUpgradeIsStillThePaddockRecorded() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/self/exe")), "needs Linux's /proc");
        Path javaHome = Path.of(System.getProperty("java.home"));
        Path runtime = Files.createDirectories(dir.resolve("opt/paddock/lib/runtime/bin"))
                .getParent();
        Path java = Files.copy(javaHome.resolve("bin/java"), runtime.resolve("bin/java"));
        for (String part : new String[] {"lib", "conf"}) {
            Files.createSymbolicLink(runtime.resolve(part), javaHome.resolve(part));
        }
        Process paddock = new ProcessBuilder(
                        java.toString(), "-cp", System.getProperty("java.class.path"), Resident.class.getName())
                .redirectErrorStream(true)
                .start();
        try {
            PaddockHome home = new PaddockHome(Files.createDirectories(dir.resolve("home")));
            Files.writeString(home.pidFile(), paddock.pid() + "\n");
            // it runs its main: the JVM is up (a first byte that is not 'R' is the JVM's own complaint)
            int first = paddock.getInputStream().read();
            assertThat(first)
                    .as(
                            "the copied java's first output: %s",
                            (char) first
                                    + new String(paddock.getInputStream()
                                            .readNBytes(paddock.getInputStream().available())))
                    .isEqualTo('R');
            Files.delete(java); // what dpkg does to the old file when it installs the new one

            assertThat(paddock.info().command())
                    .hasValueSatisfying(c -> assertThat(c).endsWith("java (deleted)"));
            assertThat(PidFile.livePaddock(home)).map(ProcessHandle::pid).hasValue(paddock.pid());
        } finally {
            paddock.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aPidReusedByAnotherProgramIsNotPaddock() throws IOException, InterruptedException {
        Process sleep = new ProcessBuilder("sleep", "60").start();
        try {
            PaddockHome home = new PaddockHome(dir);
            Files.writeString(home.pidFile(), Long.toString(sleep.pid()));
            assertThat(PidFile.livePaddock(home)).isEmpty();
            assertThat(PidFile.sameKindOfProgram("/usr/bin/sleep (deleted)")).isFalse();
            assertThat(PidFile.sameKindOfProgram("/opt/paddock/lib/runtime/bin/java (deleted)"))
                    .isTrue();
        } finally {
            sleep.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Stands for the resident Paddock: says it runs, then waits to be killed. */
    public static final class Resident {
        public static void main(String[] args) throws InterruptedException {
            System.out.print('R');
            System.out.flush();
            Thread.sleep(120_000);
        }
    }
}
