package dev.paddock.bench;

import dev.paddock.testing.TestRig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * The resident daemon as a user runs it, through {@code launchers/paddock} (so with the launcher's JVM flags and
 * the class-data archive):
 *
 * <ul>
 *   <li>{@code start} → ready for commands (the detached start returns once the daemon answers), several rounds;
 *   <li>the idle daemon's resident memory (VmRSS), headless, nothing loaded, after it settles;
 *   <li>{@code paddock status} end to end: a new JVM that connects, reads and prints;
 *   <li>{@code paddock ls} end to end, a command that goes through picocli and JMX;
 *   <li>JMX {@code getAttribute("State")} from this process (another JVM), idle and while a load is in flight (a
 *       fake server that stays on 503).
 * </ul>
 *
 * <p>Run: {@code scripts/bench.sh daemon}.
 */
public final class DaemonBench {
    private DaemonBench() {}

    public static void main(String[] args) throws Exception {
        BenchStats.printMachine();
        Path root = Path.of(System.getProperty("paddock.project.dir", ".")).toAbsolutePath();
        Path launcher = root.resolve("launchers/paddock");
        Path dir = Files.createTempDirectory("paddock-daemon-bench");
        Path home = Files.createDirectories(dir.resolve("home"));
        Files.createDirectories(home.resolve("presets"));
        Path fake = TestRig.fakeServerScript(dir);
        Path model = Files.writeString(dir.resolve("m.gguf"), "x");
        Files.writeString(
                home.resolve("config.yaml"),
                "llama-server: " + fake + "\nstop-timeout: 1s\njmx: {port: " + TestRig.freePort() + "}\n");
        Files.writeString(
                home.resolve("presets/slow.yaml"),
                "model: " + model + "\nport: " + TestRig.freePort() + "\nargs: [\"--fake-loading-ms\", \"600000\"]\n");

        BenchProcesses.run(launcher, home, "version"); // first run: builds the jar or the class-data archive if needed
        int startRounds = 5;
        long[] startMs = new long[startRounds];
        for (int i = 0; i < startRounds; i++) {
            long t0 = System.nanoTime();
            BenchProcesses.run(launcher, home, "start");
            startMs[i] = (System.nanoTime() - t0) / 1_000_000;
            if (i < startRounds - 1) BenchProcesses.run(launcher, home, "stop");
        }
        long pid = Long.parseLong(Files.readString(home.resolve("paddock.pid")).trim());
        Thread.sleep(5000); // let it settle: RSS after start-up work, not during it
        long rssKb = BenchProcesses.rssKb(pid);

        int statusRuns = 30;
        long[] statusMs = new long[statusRuns];
        // the machine's own pace, interleaved: a bare JVM with the flags the launcher gives status that starts and
        // exits (`java -version`); this kind of machine runs the same JVM start 25 % slower from one hour to the next
        long[] bareMs = new long[statusRuns];
        List<String> bare = new java.util.ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        bare.addAll(BenchProcesses.BRIEF_FLAGS);
        bare.add("-version");
        for (int i = 0; i < statusRuns; i++) {
            long t0 = System.nanoTime();
            BenchProcesses.run(launcher, home, "status");
            statusMs[i] = (System.nanoTime() - t0) / 1_000_000;
            t0 = System.nanoTime();
            Process p = new ProcessBuilder(bare)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (p.waitFor() != 0) throw new IllegalStateException("java -version failed");
            bareMs[i] = (System.nanoTime() - t0) / 1_000_000;
        }

        // an everyday command that goes through picocli and JMX (status skips both)
        long[] lsMs = new long[15];
        for (int i = 0; i < lsMs.length; i++) {
            long t0 = System.nanoTime();
            BenchProcesses.run(launcher, home, "ls");
            lsMs[i] = (System.nanoTime() - t0) / 1_000_000;
        }

        JMXServiceURL url = new JMXServiceURL(
                Files.readString(home.resolve("jmx.url")).lines().findFirst().orElseThrow());
        long[] idle;
        long[] loading;
        try (JMXConnector c = JMXConnectorFactory.connect(url)) {
            MBeanServerConnection conn = c.getMBeanServerConnection();
            ObjectName name = new ObjectName("dev.paddock:type=Supervisor");
            sample(conn, name, 2000); // warm-up
            idle = sample(conn, name, 20_000);
            CompletableFuture<Object> load = CompletableFuture.supplyAsync(() -> {
                try {
                    return conn.invoke(name, "load", new Object[] {"slow"}, new String[] {String.class.getName()});
                } catch (Exception e) {
                    return e;
                }
            });
            while (!"loading".equals(conn.getAttribute(name, "State"))) LockSupport.parkNanos(1_000_000);
            loading = sample(conn, name, 20_000);
            String stateAfter = (String) conn.getAttribute(name, "State");
            conn.invoke(name, "unload", new Object[0], new String[0]);
            load.get(30, TimeUnit.SECONDS);
            if (!stateAfter.equals("loading")) throw new IllegalStateException("the load ended during the sample");
        }
        BenchProcesses.run(launcher, home, "stop");

        System.out.printf(
                Locale.ROOT,
                "start -> ready (launchers/paddock start, %d rounds): median %d ms, max %d ms (target <= 1500 ms)%n",
                startRounds,
                BenchStats.median(startMs),
                Arrays.stream(startMs).max().orElse(0));
        System.out.printf(
                Locale.ROOT, "idle daemon RSS (VmRSS, 5 s after start): %.1f MB (target <= 90 MB)%n", rssKb / 1024.0);
        System.out.printf(
                Locale.ROOT,
                "paddock status end to end (%d runs): median %d ms, p90 %d ms (target median <= 200 ms; the snapshot through the gateway)%n",
                statusRuns,
                BenchStats.median(statusMs),
                BenchStats.pct(statusMs, 0.90));
        System.out.printf(
                Locale.ROOT,
                "a bare JVM started and ended (java -version with the GC, compiler and heap flags the launcher gives"
                        + " status, no class-data archive of Paddock's, interleaved with those runs):"
                        + " median %d ms -> status takes %d ms beyond it%n",
                BenchStats.median(bareMs),
                BenchStats.median(statusMs) - BenchStats.median(bareMs));
        System.out.printf(
                Locale.ROOT,
                "paddock ls end to end (%d runs; picocli's model of ls alone, the list over JMX): median %d ms, p90 %d"
                        + " ms%n",
                lsMs.length,
                BenchStats.median(lsMs),
                BenchStats.pct(lsMs, 0.90));
        report("JMX getAttribute(State), idle", idle);
        report("JMX getAttribute(State), load in flight", loading);
    }

    private static long[] sample(MBeanServerConnection conn, ObjectName name, int n) throws Exception {
        long[] ns = new long[n];
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            conn.getAttribute(name, "State");
            ns[i] = System.nanoTime() - t0;
        }
        return ns;
    }

    private static void report(String what, long[] ns) {
        long[] s = ns.clone();
        Arrays.sort(s);
        System.out.printf(
                Locale.ROOT,
                "%s, %d calls: p50 %.3f ms, p99 %.3f ms, p99.9 %.3f ms, max %.3f ms (target p99 < 5 ms)%n",
                what,
                s.length,
                s[s.length / 2] / 1e6,
                s[(int) (s.length * 0.99)] / 1e6,
                s[(int) (s.length * 0.999)] / 1e6,
                s[s.length - 1] / 1e6);
    }
}
