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
 * Pull throughput against {@code curl} from the same loopback fake hub in the same run (rounds interleaved), the
 * pull's peak memory for two file sizes (a {@code paddock pull} process each), and the time to read the GGUF header
 * of a multi-GB file.
 *
 * <p>Run: {@code scripts/bench.sh pull [MiB]} (default 1024).
 */
public final class PullBench {
    private PullBench() {}

    public static void main(String[] args) throws Exception {
        int mib = args.length > 0 ? Integer.parseInt(args[0]) : 1024;
        Path dir = Files.createTempDirectory("paddock-pull-bench");
        byte[] big = new byte[mib << 20];
        new Random(1).nextBytes(big);
        byte[] small = Arrays.copyOf(big, big.length / 4);
        try (FakeHub hub = new FakeHub()) {
            hub.file("Bench/Big-GGUF", "big-Q4_K_M.gguf", big);
            hub.file("Bench/Small-GGUF", "small-Q4_K_M.gguf", small);
            Map<String, String> env = Map.of(
                    "HF_ENDPOINT",
                    hub.endpoint(),
                    "HF_TOKEN_PATH",
                    dir.resolve("none").toString());
            int rounds = 3;
            double[] curl = new double[rounds];
            double[] curlSha = new double[rounds];
            double[] pull = new double[rounds];
            for (int i = 0; i < rounds; i++) {
                Path out = dir.resolve("curl.bin");
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
                if (c.waitFor() != 0 || Files.size(out) != big.length) throw new IllegalStateException("curl failed");
                long curlNs = System.nanoTime() - t0;
                curl[i] = big.length / (curlNs / 1e9) / 1e6;
                t0 = System.nanoTime();
                Process sum = new ProcessBuilder("sha256sum", out.toString())
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .start();
                if (sum.waitFor() != 0) throw new IllegalStateException("sha256sum failed");
                curlSha[i] = big.length / ((curlNs + System.nanoTime() - t0) / 1e9) / 1e6;
                Files.delete(out);

                ModelStore store = new ModelStore(dir.resolve("models"));
                Puller p = new Puller(
                        new HubClient(HubSettings.fromEnvironment(env)),
                        store,
                        Puller.Progress.NONE,
                        Puller.FreeSpace.REAL);
                t0 = System.nanoTime();
                p.pull(HubRef.parse("Bench/Big-GGUF"));
                pull[i] = big.length / ((System.nanoTime() - t0) / 1e9) / 1e6;
                deleteTree(dir.resolve("models"));
            }
            Arrays.sort(curl);
            Arrays.sort(curlSha);
            Arrays.sort(pull);
            System.out.printf(
                    Locale.ROOT,
                    "pull of %d MiB from a loopback hub (%d rounds, interleaved): curl median %.0f MB/s, paddock median"
                            + " %.0f MB/s (tree listing, redirect, SHA-256 check and rename included) -> ratio %.2f"
                            + " (target >= 0.9)%n",
                    mib,
                    rounds,
                    curl[rounds / 2],
                    pull[rounds / 2],
                    pull[rounds / 2] / curl[rounds / 2]);
            System.out.printf(
                    Locale.ROOT,
                    "the same file verified by hand (curl, then sha256sum): median %.0f MB/s -> paddock / that = %.2f%n",
                    curlSha[rounds / 2],
                    pull[rounds / 2] / curlSha[rounds / 2]);

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

    /** Runs {@code paddock pull} as its own process and samples its VmRSS until it ends; the highest, in KiB. */
    private static long peakRss(Path dir, Map<String, String> env, String repo) throws Exception {
        Path home = Files.createDirectories(dir.resolve("home-" + repo.replace('/', '-')));
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC",
                "-Xmx256m",
                "-cp",
                System.getProperty("java.class.path"),
                "dev.paddock.app.Main",
                "pull",
                "h:" + repo));
        ProcessBuilder pb =
                new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().putAll(env);
        pb.environment().put("PADDOCK_HOME", home.toString());
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
