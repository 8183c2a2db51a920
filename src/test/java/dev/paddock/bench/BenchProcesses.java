package dev.paddock.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Running the launcher and reading a process's memory, for the benchmarks. */
final class BenchProcesses {
    private BenchProcesses() {}

    /** VmRSS of {@code pid}, in KiB. */
    static long rssKb(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
        throw new IOException("no VmRSS for pid " + pid);
    }

    /** The JVM flags launchers/paddock gives the daemon (and {@code start} and {@code run}, which detach it). */
    static final List<String> DAEMON_FLAGS = List.of(
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-XX:CompileCommand=quiet",
            "-XX:CompileCommand=CompileThresholdScaling,dev.paddock.*::*,0.05",
            "-Xss512k",
            "-Xms16m",
            "-Xmx256m");

    /** The JVM flags launchers/paddock gives the commands that run for a moment ({@code status}, {@code ls}, …). */
    static final List<String> BRIEF_FLAGS =
            List.of("-XX:+UseG1GC", "-XX:-UsePerfData", "-XX:TieredStopAtLevel=1", "-Xss512k", "-Xms16m", "-Xmx256m");

    /** {@code sh LAUNCHER ARGS…} with {@code PADDOCK_HOME=home}; fails unless it exits 0 ({@code stop} may exit 3). */
    static void run(Path launcher, Path home, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("sh", launcher.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb =
                new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("PADDOCK_HOME", home.toString());
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS) || (p.exitValue() != 0 && !args[0].equals("stop"))) {
            throw new IllegalStateException("paddock " + String.join(" ", args) + " failed");
        }
    }
}
