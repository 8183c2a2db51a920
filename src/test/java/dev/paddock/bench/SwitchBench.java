package dev.paddock.bench;

import dev.paddock.supervisor.HealthProbe;
import dev.paddock.supervisor.LaunchSpec;
import dev.paddock.supervisor.LoadResult;
import dev.paddock.supervisor.ServerState;
import dev.paddock.testing.LlamaServerBinary;
import dev.paddock.testing.SupervisorFixture;
import dev.paddock.testing.TestRig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * Switch time on the real llama-server with two tiny models: Paddock's {@code load} of B while A runs, until
 * running, against a bare loop doing the same (SIGTERM, wait, spawn, poll /health every 2 ms), rounds interleaved
 * in one run. Then, in a second phase (so its busy thread does not slow the first on a small machine), a reader
 * thread reads the state as fast as it can and times every read taken while a switch is in flight.
 *
 * <p>Run: {@code scripts/bench.sh switch [ROUNDS]}.
 */
public final class SwitchBench {
    private SwitchBench() {}

    public static void main(String[] args) throws Exception {
        BenchStats.printMachine();
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 40;
        Path dir = Files.createTempDirectory("paddock-bench");
        Path server = LlamaServerBinary.require();
        Path a = TestRig.tinyModel(dir, "Meta-Llama-3.1-8B-Instruct-Q4_K_M", 1);
        Path b = TestRig.tinyModel(dir, "qwen2.5-coder-7b-instruct-q4_k_m", 2);
        int port = TestRig.freePort();
        String[] flags = {"-c", "256", "-t", "1"};
        LaunchSpec specA = SupervisorFixture.spec(
                "Meta-Llama-3.1-8B-Instruct.Q4_K_M", server, a, port, Duration.ofSeconds(10), flags);
        LaunchSpec specB = SupervisorFixture.spec(
                "qwen2.5-coder-7b-instruct-q4_k_m", server, b, port, Duration.ofSeconds(10), flags);

        long[] floor = new long[rounds];
        long[] paddock = new long[rounds];
        List<Long> reads = new ArrayList<>();
        try (SupervisorFixture f = new SupervisorFixture(dir)) {
            for (int i = -3; i < rounds; i++) { // three warm-up rounds of each, not counted
                long bare = bareSwitch(specA, specB);
                check(f.supervisor.load(specA).join());
                long t0 = System.nanoTime();
                LoadResult r = f.supervisor.load(specB).join();
                long took = System.nanoTime() - t0;
                check(r);
                if (i >= 0) {
                    floor[i] = bare;
                    paddock[i] = took;
                }
                f.supervisor.unload().join();
            }
            AtomicBoolean inFlight = new AtomicBoolean();
            AtomicBoolean stop = new AtomicBoolean();
            Thread reader = new Thread(() -> readLoop(f, inFlight, stop, reads), "state-reader");
            reader.start();
            for (int i = 0; i < 10; i++) {
                inFlight.set(true);
                check(f.supervisor.load(i % 2 == 0 ? specA : specB).join());
                inFlight.set(false);
            }
            stop.set(true);
            reader.join();
        }
        report(rounds, floor, paddock, reads);
    }

    /** The floor: start A and wait healthy (not timed), then SIGTERM A, wait, spawn B, poll /health every 2 ms. */
    static long bareSwitch(LaunchSpec a, LaunchSpec b) throws IOException, InterruptedException {
        return bareSwitch(a, b, base -> {});
    }

    /** A request to the new server's base URL, part of the timed switch. */
    interface FirstRequest {
        void send(String base) throws Exception;
    }

    /** The floor as above, then {@code first} sent to B once it is healthy (timed too). */
    static long bareSwitch(LaunchSpec a, LaunchSpec b, FirstRequest first) throws IOException, InterruptedException {
        HealthProbe probe = new HealthProbe(1000, 2000);
        Process pa = new ProcessBuilder(a.command())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        while (probe.status("127.0.0.1", a.port()) != 200) LockSupport.parkNanos(2_000_000);
        long t0 = System.nanoTime();
        stop(pa);
        Process pb = new ProcessBuilder(b.command())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        while (probe.status("127.0.0.1", b.port()) != 200) LockSupport.parkNanos(2_000_000);
        try {
            first.send("http://127.0.0.1:" + b.port());
        } catch (Exception e) {
            throw new IOException("the first request to b failed", e);
        }
        long took = System.nanoTime() - t0;
        stop(pb);
        return took;
    }

    /**
     * SIGTERM, and again after 0.5 s if it still runs, as the supervisor does: llama-server loses a SIGTERM that
     * comes between its first healthy answer and the start of its main loop.
     */
    private static void stop(Process p) throws InterruptedException {
        p.destroy();
        if (!p.waitFor(500, java.util.concurrent.TimeUnit.MILLISECONDS)) p.destroy();
        p.waitFor();
    }

    private static void readLoop(SupervisorFixture f, AtomicBoolean inFlight, AtomicBoolean stop, List<Long> reads) {
        long sink = 0;
        List<Long> mine = new ArrayList<>();
        while (!stop.get()) {
            if (!inFlight.get()) {
                LockSupport.parkNanos(100_000);
                continue;
            }
            long t0 = System.nanoTime();
            ServerState s = f.state();
            long took = System.nanoTime() - t0;
            sink += s.name().length();
            if (inFlight.get() && mine.size() < 5_000_000) mine.add(took);
        }
        synchronized (reads) {
            reads.addAll(mine);
        }
        if (sink == 42) System.out.print(""); // keeps the reads from being optimised away
    }

    private static void check(LoadResult r) {
        if (!(r instanceof LoadResult.Loaded)) throw new IllegalStateException("load did not complete: " + r);
    }

    private static void report(int rounds, long[] floor, long[] paddock, List<Long> reads) {
        double floorMed = BenchStats.median(floor) / 1e6, paddockMed = BenchStats.median(paddock) / 1e6;
        long[] r = reads.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf(Locale.ROOT, "switch rounds: %d (interleaved, after 3 warm-up rounds)%n", rounds);
        System.out.printf(
                Locale.ROOT,
                "floor   (SIGTERM, wait, spawn, poll /health every 2 ms): median %.1f ms, p90 %.1f ms%n",
                floorMed,
                BenchStats.pct(floor, 0.90) / 1e6);
        System.out.printf(
                Locale.ROOT,
                "paddock (Supervisor.load of B while A runs, until running): median %.1f ms, p90 %.1f ms%n",
                paddockMed,
                BenchStats.pct(paddock, 0.90) / 1e6);
        System.out.printf(
                Locale.ROOT,
                "switch ratio (median paddock / median floor): %.3f (target <= 1.25)%n",
                paddockMed / floorMed);
        if (r.length > 0) {
            System.out.printf(
                    Locale.ROOT,
                    "state reads during 10 switches: %d, p50 %d ns, p99 %d ns, p99.9 %d ns, max %.3f ms (target p99 < 1 ms)%n",
                    r.length,
                    r[(int) (r.length * 0.50)],
                    r[(int) (r.length * 0.99)],
                    r[(int) (r.length * 0.999)],
                    r[r.length - 1] / 1e6);
        }
    }
}
