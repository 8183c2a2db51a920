package dev.paddock.bench;

import java.util.Arrays;

/** Percentiles of the benchmarks' samples. */
final class BenchStats {
    private BenchStats() {}

    static long median(long[] xs) {
        return pct(xs, 0.5);
    }

    /** The middle sample (the upper one of an even count), as {@link #median(long[])}. */
    static double median(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    /** The sample at fraction {@code p} of the sorted samples (nearest rank, rounded down). */
    static long pct(long[] xs, double p) {
        long[] s = xs.clone();
        Arrays.sort(s);
        return s[Math.min(s.length - 1, (int) Math.floor(p * s.length))];
    }

    /** The processor's model, as /proc/cpuinfo names it. */
    static String cpuModel() {
        try {
            return java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/cpuinfo")).stream()
                    .filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .findFirst()
                    .orElse("unknown CPU");
        } catch (java.io.IOException e) {
            return "unknown CPU";
        }
    }

    /** The first line of every benchmark: what ran it (figures are judged by ratios within one run). */
    static void printMachine() {
        System.out.printf(
                java.util.Locale.ROOT,
                "CPU: %s, %d cores; Java %s%n",
                cpuModel(),
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"));
    }
}
