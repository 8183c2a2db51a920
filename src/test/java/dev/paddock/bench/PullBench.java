package dev.paddock.bench;

import dev.paddock.hub.HubClient;
import dev.paddock.hub.HubSettings;
import dev.paddock.hub.Puller;
import dev.paddock.model.GgufInfo;
import dev.paddock.model.GgufReader;
import dev.paddock.model.HubRef;
import dev.paddock.model.ModelStore;
import dev.paddock.testing.FakeHub;
import dev.paddock.testing.TinyGguf;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Pull throughput against its limit, measured in the same run on the same machine: the slower of the link
 * ({@code curl} from the same loopback fake hub, rounds interleaved) and SHA-256 (the JDK's, which the pull must run
 * over every byte; ~330 MB/s on a CPU without SHA instructions, several times that with them). Also where the pull's
 * time goes (a JFR profile of one pull), its peak memory for two file sizes (a {@code paddock pull} process each),
 * and the time to read the GGUF header of a multi-GB file.
 *
 * <p>Run: {@code scripts/bench.sh pull [MiB]} (default 1024).
 */
public final class PullBench {
    private PullBench() {}

    public static void main(String[] args) throws Exception {
        int mib = args.length > 0 ? Integer.parseInt(args[0]) : 1024;
        // in memory when the machine has a tmpfs: the figures are then the transfer and the hash, not the disk's
        // write-back, which swings several-fold between runs on a shared virtual disk (curl alike)
        Path shm = Path.of("/dev/shm");
        boolean inMemory =
                Files.isDirectory(shm) && Files.isWritable(shm) && shm.toFile().getUsableSpace() > (4L << 30);
        Path dir = inMemory
                ? Files.createTempDirectory(shm, "paddock-pull-bench")
                : Files.createTempDirectory("paddock-pull-bench");
        System.out.println("files written to " + (inMemory ? "tmpfs (/dev/shm)" : "the temp folder's disk"));
        byte[] big = new byte[mib << 20];
        new Random(1).nextBytes(big);
        String flags = Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                .filter(l -> l.startsWith("flags"))
                .findFirst()
                .orElse("");
        System.out.printf(
                Locale.ROOT,
                "CPU: %s, %d cores, %s SHA instructions (sha_ni)%n",
                BenchStats.cpuModel(),
                Runtime.getRuntime().availableProcessors(),
                flags.contains(" sha_ni") ? "with" : "without");
        findPaddock(dir);
        double sha = shaRate(big);
        byte[] small = Arrays.copyOf(big, big.length / 4);
        try (FakeHub hub = new FakeHub()) {
            hub.file("Bench/Big-GGUF", "big-Q4_K_M.gguf", big);
            hub.file("Bench/Small-GGUF", "small-Q4_K_M.gguf", small);
            hub.file("Bench/Tiny-GGUF", "tiny-Q4_K_M.gguf", Arrays.copyOf(big, 4096));
            Map<String, String> env = Map.of(
                    "HF_ENDPOINT",
                    hub.endpoint(),
                    "HF_TOKEN_PATH",
                    dir.resolve("none").toString());
            int rounds = 3;
            double[] curl = new double[rounds];
            double[] curlSha = new double[rounds];
            double[] curlBeside = new double[rounds];
            double[] shaBeside = new double[rounds];
            double[] pull = new double[rounds];
            double[] c1Pull = new double[rounds];
            double[] fixedMs = new double[rounds];
            double[] transfer = new double[rounds];
            for (int i = 0; i < rounds; i++) {
                Path out = dir.resolve("curl.bin");
                // curl with a thread beside it hashing the same bytes at full speed, as a pull's hasher would: the
                // link when the copy, the hash and the hub share this machine's cores
                HashBeside beside = new HashBeside(big);
                long besideNs = curl(hub, out, big.length);
                shaBeside[i] = beside.stop();
                curlBeside[i] = big.length / (besideNs / 1e9) / 1e6;
                Files.delete(out);
                long curlNs = curl(hub, out, big.length);
                curl[i] = big.length / (curlNs / 1e9) / 1e6;
                long t0 = System.nanoTime();
                Process sum = new ProcessBuilder("sha256sum", out.toString())
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .start();
                if (sum.waitFor() != 0) throw new IllegalStateException("sha256sum failed");
                curlSha[i] = big.length / ((curlNs + System.nanoTime() - t0) / 1e9) / 1e6;
                Files.delete(out);

                // `paddock pull` as a user runs it: its own JVM, with the launcher's flags for it; its start-up
                // (measured on `paddock version` with the same flags) is left out, as curl's is negligible
                long start = startup(dir, PULL_FLAGS);
                long whole = cliPull(dir, env, PULL_FLAGS, "h:Bench/Big-GGUF");
                pull[i] = big.length / ((whole - start) / 1e9) / 1e6;
                // what every pull costs whatever its size (its HTTP client and TLS set up, JSON, the listing, the
                // lock and the rename): a pull of 4 KiB, its JVM's start left out too
                long fixed = cliPull(dir, env, PULL_FLAGS, "h:Bench/Tiny-GGUF") - start;
                fixedMs[i] = fixed / 1e6;
                transfer[i] = big.length / ((whole - start - fixed) / 1e9) / 1e6;
                c1Pull[i] = big.length
                        / ((cliPull(dir, env, BenchProcesses.DAEMON_FLAGS, "h:Bench/Big-GGUF")
                                        - startup(dir, BenchProcesses.DAEMON_FLAGS))
                                / 1e9)
                        / 1e6;
            }
            Arrays.sort(curl);
            Arrays.sort(curlSha);
            Arrays.sort(curlBeside);
            Arrays.sort(shaBeside);
            Arrays.sort(pull);
            Arrays.sort(c1Pull);
            Arrays.sort(fixedMs);
            Arrays.sort(transfer);
            double bound = Math.min(curl[rounds / 2], sha);
            System.out.printf(
                    Locale.ROOT,
                    "pull of %d MiB from a loopback hub (%d rounds, interleaved): curl median %.0f MB/s, the JDK's"
                            + " SHA-256 %.0f MB/s, `paddock pull` median %.0f MB/s (its own JVM as the launcher starts"
                            + " it; tree listing, redirect, SHA-256 check and rename included; %.0f MB/s with the"
                            + " daemon's flags, whose JVM has no optimising compiler and so no SHA instructions)%n",
                    mib,
                    rounds,
                    curl[rounds / 2],
                    sha,
                    pull[rounds / 2],
                    c1Pull[rounds / 2]);
            System.out.printf(
                    Locale.ROOT,
                    "paddock / curl = %.2f; paddock / min(curl, SHA-256) = %.2f (target >= 0.9; the limit here is %s)%n",
                    pull[rounds / 2] / curl[rounds / 2],
                    pull[rounds / 2] / bound,
                    sha < curl[rounds / 2] ? "the hash" : "the link");
            System.out.printf(
                    Locale.ROOT,
                    "a pull's fixed cost beyond its JVM's start (a pull of 4 KiB): median %.0f ms; the transfer alone"
                            + " (the %d MiB pull less that): median %.0f MB/s -> / curl = %.2f, / min(curl, SHA-256)"
                            + " = %.2f%n",
                    fixedMs[rounds / 2],
                    mib,
                    transfer[rounds / 2],
                    transfer[rounds / 2] / curl[rounds / 2],
                    transfer[rounds / 2] / bound);
            double shared = Math.min(curlBeside[rounds / 2], shaBeside[rounds / 2]);
            System.out.printf(
                    Locale.ROOT,
                    "curl with SHA-256 running beside it (one JDK thread hashing the same bytes meanwhile, as a pull's"
                            + " hasher; %d cores): curl median %.0f MB/s, the hash meanwhile %.0f MB/s -> the slower,"
                            + " %.0f MB/s, is what a pull can reach here; paddock / that = %.2f, the transfer alone /"
                            + " that = %.2f%n",
                    Runtime.getRuntime().availableProcessors(),
                    curlBeside[rounds / 2],
                    shaBeside[rounds / 2],
                    shared,
                    pull[rounds / 2] / shared,
                    transfer[rounds / 2] / shared);
            System.out.printf(
                    Locale.ROOT,
                    "the same file verified by hand (curl, then sha256sum): median %.0f MB/s -> paddock / that = %.2f%n",
                    curlSha[rounds / 2],
                    pull[rounds / 2] / curlSha[rounds / 2]);

            profile(dir, env);
            long peakSmall = peakRss(dir, env, "Bench/Small-GGUF");
            long peakBig = peakRss(dir, env, "Bench/Big-GGUF");
            System.out.printf(
                    Locale.ROOT,
                    "`paddock pull` peak RSS: %.0f MB for %d MiB, %.0f MB for %d MiB (flat: no growth with size)%n",
                    peakSmall / 1024.0,
                    small.length >> 20,
                    peakBig / 1024.0,
                    mib);
        }

        Path gguf = TinyGguf.write(dir.resolve("header.gguf"), "bench", 1);
        try (RandomAccessFile f = new RandomAccessFile(gguf.toFile(), "rw")) {
            f.setLength(8L << 30); // an 8 GiB file (sparse): the header is all that is read
        }
        for (int i = 0; i < 200; i++) GgufReader.read(gguf); // warm-up
        long[] ns = new long[200];
        GgufInfo g = null;
        for (int i = 0; i < ns.length; i++) {
            long t0 = System.nanoTime();
            g = GgufReader.read(gguf);
            ns[i] = System.nanoTime() - t0;
        }
        Arrays.sort(ns);
        System.out.printf(
                Locale.ROOT,
                "GGUF header of an 8 GiB file (%d tensors): median %.3f ms, max %.3f ms (target < 50 ms)%n",
                g.tensorCount(),
                ns[ns.length / 2] / 1e6,
                ns[ns.length - 1] / 1e6);
        deleteTree(dir);
        System.exit(0);
    }

    /** Nanoseconds of {@code curl -L -o out} of the big file from the fake hub; fails unless all of it arrived. */
    private static long curl(FakeHub hub, Path out, long size) throws Exception {
        long t0 = System.nanoTime();
        Process c = new ProcessBuilder(
                        "curl",
                        "-s",
                        "-L",
                        "-o",
                        out.toString(),
                        hub.endpoint() + "/Bench/Big-GGUF/resolve/main/big-Q4_K_M.gguf")
                .inheritIO()
                .start();
        if (c.waitFor() != 0 || Files.size(out) != size) throw new IllegalStateException("curl failed");
        return System.nanoTime() - t0;
    }

    /** A thread hashing {@code data} with the JDK's SHA-256 in 1 MiB pieces, over and over, until stopped. */
    private static final class HashBeside {
        private final Thread thread;
        private final java.util.concurrent.atomic.AtomicLong hashed = new java.util.concurrent.atomic.AtomicLong();
        private volatile boolean stop;
        private final long started = System.nanoTime();

        HashBeside(byte[] data) {
            thread = new Thread(
                    () -> {
                        try {
                            java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
                            for (int off = 0; !stop; off = (off + (1 << 20)) % data.length) {
                                int n = Math.min(1 << 20, data.length - off);
                                md.update(data, off, n);
                                hashed.addAndGet(n);
                            }
                        } catch (java.security.NoSuchAlgorithmException e) {
                            throw new IllegalStateException(e);
                        }
                    },
                    "hash-beside");
            thread.start();
        }

        /** Stops the thread; the rate it hashed at meanwhile, in MB/s. */
        double stop() throws InterruptedException {
            stop = true;
            thread.join();
            return hashed.get() / ((System.nanoTime() - started) / 1e9) / 1e6;
        }
    }

    /** The JDK's SHA-256 over {@code data} in 1 MiB pieces, as the pull feeds it: the best of three, in MB/s. */
    private static double shaRate(byte[] data) throws Exception {
        double best = 0;
        for (int round = 0; round < 3; round++) {
            java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
            long t0 = System.nanoTime();
            for (int off = 0; off < data.length; off += 1 << 20)
                md.update(data, off, Math.min(1 << 20, data.length - off));
            md.digest();
            best = Math.max(best, data.length / ((System.nanoTime() - t0) / 1e9) / 1e6);
        }
        return best;
    }

    /**
     * One pull under Java Flight Recorder: the share of the pull's CPU samples per method (its own threads only;
     * the fake hub serving it runs in this JVM too, and is left out).
     */
    private static void profile(Path dir, Map<String, String> env) throws Exception {
        Path jfr = dir.resolve("pull.jfr");
        try (jdk.jfr.Recording r = new jdk.jfr.Recording(jdk.jfr.Configuration.getConfiguration("profile"))) {
            r.enable("jdk.ExecutionSample").withPeriod(java.time.Duration.ofMillis(2));
            r.start();
            new Puller(
                            new HubClient(HubSettings.fromEnvironment(env)),
                            new ModelStore(dir.resolve("models")),
                            Puller.Progress.NONE,
                            Puller.FreeSpace.REAL)
                    .pull(HubRef.parse("Bench/Big-GGUF"));
            r.stop();
            r.dump(jfr);
        }
        deleteTree(dir.resolve("models"));
        Map<String, Integer> byMethod = new java.util.HashMap<>();
        Map<String, Integer> byThread = new java.util.TreeMap<>();
        int total = 0;
        for (jdk.jfr.consumer.RecordedEvent e : jdk.jfr.consumer.RecordingFile.readAllEvents(jfr)) {
            if (!e.getEventType().getName().equals("jdk.ExecutionSample")) continue;
            String thread = e.getThread("sampledThread") == null
                    ? "?"
                    : e.getThread("sampledThread").getJavaName();
            if (thread == null || thread.startsWith("HTTP-Dispatcher") || thread.startsWith("fake-hub")) continue;
            var frames = e.getStackTrace() == null
                    ? List.<jdk.jfr.consumer.RecordedFrame>of()
                    : e.getStackTrace().getFrames();
            if (frames.isEmpty()) continue;
            var top = frames.get(0).getMethod();
            byMethod.merge(top.getType().getName().replaceAll(".*\\.", "") + "." + top.getName(), 1, Integer::sum);
            byThread.merge(thread, 1, Integer::sum);
            total++;
        }
        int all = total;
        System.out.printf(Locale.ROOT, "where one pull's CPU goes (JFR, %d samples of the pull's threads):%n", all);
        byThread.forEach((t, n) -> System.out.printf(Locale.ROOT, "  thread %-28s %5.1f%%%n", t, 100.0 * n / all));
        byMethod.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .limit(8)
                .forEach(m ->
                        System.out.printf(Locale.ROOT, "  %-44s %5.1f%%%n", m.getKey(), 100.0 * m.getValue() / all));
        Files.deleteIfExists(jfr);
    }

    /**
     * Paddock as launchers/paddock starts it: its jar, with the class-data archive the build trained (and the flags
     * recorded with it) when it was made by this Java. The launcher is run once first, so both are current.
     */
    private static final List<String> PADDOCK = new ArrayList<>();

    private static void findPaddock(Path dir) throws Exception {
        BenchProcesses.run(
                Path.of("launchers/paddock"), Files.createDirectories(dir.resolve("home-version")), "version");
        Path jsa = Path.of("target/paddock.jsa").toAbsolutePath();
        Path record = Path.of("target/paddock.jsa.java");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java").toRealPath();
        if (Files.exists(jsa) && Files.exists(record)) {
            List<String> lines = Files.readAllLines(record);
            if (!lines.isEmpty() && Path.of(lines.get(0)).equals(java)) {
                PADDOCK.add("-XX:SharedArchiveFile=" + jsa);
                if (lines.size() > 1 && !lines.get(1).isBlank())
                    PADDOCK.addAll(List.of(lines.get(1).split(" ")));
            }
        }
        PADDOCK.addAll(
                List.of("-jar", Path.of("target/paddock.jar").toAbsolutePath().toString()));
        System.out.println("paddock: " + String.join(" ", PADDOCK)
                + (PADDOCK.size() == 2 ? " (no class-data archive made by this Java)" : ""));
    }

    /** The JVM flags launchers/paddock gives {@code pull} (the daemon: BenchProcesses.DAEMON_FLAGS, C1 only). */
    private static final List<String> PULL_FLAGS = List.of("-XX:+UseSerialGC", "-Xss512k", "-Xms16m", "-Xmx256m");

    private static ProcessBuilder cli(Path home, List<String> flags, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(flags);
        cmd.addAll(PADDOCK);
        cmd.addAll(List.of(args));
        ProcessBuilder pb =
                new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("PADDOCK_HOME", home.toString());
        return pb;
    }

    /** Nanoseconds of one {@code paddock pull ID} into an empty home. */
    private static long cliPull(Path dir, Map<String, String> env, List<String> flags, String id) throws Exception {
        Path home = Files.createDirectories(dir.resolve("home-pull"));
        ProcessBuilder pb = cli(home, flags, "pull", id);
        pb.environment().putAll(env);
        long t0 = System.nanoTime();
        Process p = pb.start();
        if (p.waitFor() != 0) throw new IllegalStateException("paddock pull exited " + p.exitValue());
        long took = System.nanoTime() - t0;
        deleteTree(home);
        return took;
    }

    /** Nanoseconds of a JVM's start and end around Paddock: {@code paddock version}, the median of three. */
    private static long startup(Path dir, List<String> flags) throws Exception {
        long[] ns = new long[3];
        for (int i = 0; i < ns.length; i++) {
            long t0 = System.nanoTime();
            cli(dir, flags, "version").start().waitFor();
            ns[i] = System.nanoTime() - t0;
        }
        return BenchStats.median(ns);
    }

    /** Runs {@code paddock pull} as its own process and samples its VmRSS until it ends; the highest, in KiB. */
    private static long peakRss(Path dir, Map<String, String> env, String repo) throws Exception {
        Path home = Files.createDirectories(dir.resolve("home-" + repo.replace('/', '-')));
        ProcessBuilder pb = cli(home, PULL_FLAGS, "pull", "h:" + repo);
        pb.environment().putAll(env);
        Process p = pb.start();
        long peak = 0;
        while (p.isAlive()) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc", Long.toString(p.pid()), "status"))) {
                    if (line.startsWith("VmRSS:")) peak = Math.max(peak, Long.parseLong(line.replaceAll("[^0-9]", "")));
                }
            } catch (java.io.IOException e) {
                break; // it ended between the check and the read
            }
            p.waitFor(20, TimeUnit.MILLISECONDS);
        }
        if (p.exitValue() != 0) throw new IllegalStateException("paddock pull " + repo + " exited " + p.exitValue());
        deleteTree(home);
        return peak;
    }

    private static void deleteTree(Path p) throws java.io.IOException {
        if (!Files.exists(p)) return;
        try (var s = Files.walk(p)) {
            for (Path x : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(x);
        }
    }
}
