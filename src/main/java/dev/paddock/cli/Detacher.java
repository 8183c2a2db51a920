package dev.paddock.cli;

import dev.paddock.config.Config;
import dev.paddock.config.PaddockHome;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * Starts the resident Paddock as a new JVM in a session of its own (so closing the terminal does not end it),
 * with no terminal input or output, and waits until it is ready for commands or has failed.
 */
final class Detacher {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private Detacher() {}

    /** @return the daemon's pid once ready; throws with the daemon's own words when it could not start */
    static long start(PaddockHome home, Config config, String loadId) throws IOException {
        home.ensureLayout();
        Path startLog = home.logsDir().resolve("start.out");
        List<String> cmd = new ArrayList<>();
        if (Files.isExecutable(Path.of("/usr/bin/setsid"))) cmd.add("/usr/bin/setsid");
        cmd.add(ProcessHandle.current()
                .info()
                .command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.addAll(
                List.of("-cp", System.getProperty("java.class.path"), "dev.paddock.app.Main", "start", "--detached"));
        if (loadId != null) cmd.addAll(List.of("--load", loadId));
        Process p = new ProcessBuilder(cmd)
                .redirectInput(ProcessBuilder.Redirect.from(nullDevice()))
                .redirectErrorStream(true)
                .redirectOutput(startLog.toFile())
                .start();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive() && p.exitValue() == 0) { // another start won the race: that one is the Paddock
                return Long.parseLong(Files.readString(home.pidFile()).trim());
            }
            if (!p.isAlive()) {
                String said = Files.readString(startLog, StandardCharsets.UTF_8).trim();
                throw new IOException(
                        said.isEmpty()
                                ? "Paddock exited with code " + p.exitValue() + "; see " + home.daemonLog()
                                : said);
            }
            if (ready(home, config, p.pid())) return p.pid();
            LockSupport.parkNanos(10_000_000);
        }
        throw new IOException("Paddock (pid " + p.pid() + ") was not ready within " + READY_TIMEOUT.toSeconds()
                + "s; see " + home.daemonLog());
    }

    /** Ready = it holds the home (its pid is in the pid file) and its JMX address is published, if it has one. */
    private static boolean ready(PaddockHome home, Config config, long pid) {
        try {
            boolean holdsHome = Files.readString(home.pidFile()).trim().equals(Long.toString(pid));
            return holdsHome && (config.jmx().port() == 0 || Files.exists(home.jmxUrlFile()));
        } catch (IOException e) {
            return false;
        }
    }

    private static java.io.File nullDevice() {
        return new java.io.File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
    }
}
