package dev.paddock.cli;

import dev.paddock.config.Config;
import dev.paddock.config.PaddockHome;
import dev.paddock.supervisor.PidFile;
import dev.paddock.supervisor.ProcessTree;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Starts the resident Paddock as a new JVM in a session of its own (so closing the terminal does not end it),
 * with no terminal input or output, and waits until it is ready for commands or has failed.
 *
 * <p>The daemon is started by a shell that exits at once ({@code sh -c 'setsid java … & echo $!'}), so it is not
 * this JVM's child: a JVM exits up to 300 ms late while one of its threads is still waiting on a live child.
 */
final class Detacher {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private Detacher() {}

    /**
     * The daemon's JVM flags: this JVM's, less the fixed mapping of class-data archives that the launcher gives the
     * commands that run for a moment ({@code -XX:ArchiveRelocationMode=0}): the daemon listens on the network and
     * keeps the JDK's random addresses.
     */
    static List<String> daemonFlags(List<String> flags) {
        return flags.stream()
                .filter(f -> !f.startsWith("-XX:ArchiveRelocationMode="))
                .toList();
    }

    /** @return the daemon's pid once ready; throws with the daemon's own words when it could not start */
    static long start(PaddockHome home, Config config, String loadId, boolean noTray) throws IOException {
        home.ensureLayout();
        Path startLog = home.logsDir().resolve("start.out");
        Files.deleteIfExists(startLog);
        List<String> cmd = new ArrayList<>(List.of(
                "/bin/sh",
                "-c",
                "umask 077; setsid \"$@\" </dev/null >>\"$START_LOG\" 2>&1 & echo $!",
                "paddock-start"));
        // this JVM's java: under a packaged launcher (jpackage's /opt/paddock/bin/paddock) the process's own command
        // is that launcher, which would take the JVM's arguments below for Paddock's
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        cmd.add(
                Files.isExecutable(java)
                        ? java.toString()
                        : ProcessHandle.current().info().command().orElse(java.toString()));
        cmd.addAll(daemonFlags(ManagementFactory.getRuntimeMXBean().getInputArguments()));
        cmd.addAll(
                List.of("-cp", System.getProperty("java.class.path"), "dev.paddock.app.Main", "start", "--detached"));
        if (loadId != null) cmd.addAll(List.of("--load", loadId));
        if (noTray) cmd.add("--no-tray");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("START_LOG", startLog.toString());
        Process shell = pb.start();
        String said = new String(shell.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        try {
            if (!shell.waitFor(10, TimeUnit.SECONDS) || shell.exitValue() != 0 || !said.matches("\\d+")) {
                throw new IOException("cannot start a background process: " + said);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
        long pid = Long.parseLong(said);
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<ProcessHandle> daemon = ProcessHandle.of(pid).filter(ProcessTree::running);
            if (daemon.isEmpty()) {
                Optional<ProcessHandle> other = PidFile.livePaddock(home);
                if (other.isPresent()) return other.get().pid(); // another start won the race: that one is Paddock
                String words = Files.exists(startLog)
                        ? Files.readString(startLog, StandardCharsets.UTF_8).trim()
                        : "";
                throw new IOException(words.isEmpty() ? "Paddock exited at once; see " + home.daemonLog() : words);
            }
            if (ready(home, config, pid)) return pid;
            LockSupport.parkNanos(5_000_000);
        }
        throw new IOException("Paddock (pid " + pid + ") was not ready within " + READY_TIMEOUT.toSeconds() + "s; see "
                + home.daemonLog());
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
}
