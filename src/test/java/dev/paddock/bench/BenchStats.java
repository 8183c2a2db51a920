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
}
