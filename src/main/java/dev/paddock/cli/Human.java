package dev.paddock.cli;

import java.util.Locale;

/** Numbers as people read them. */
final class Human {
    private Human() {}

    /** {@code 1.2 GB}, {@code 380 MB}, {@code 12 KB}. */
    static String bytes(long b) {
        if (b < 0) return "?";
        if (b >= 1_000_000_000L) return String.format(Locale.ROOT, "%.1f GB", b / 1e9);
        if (b >= 1_000_000L) return String.format(Locale.ROOT, "%.0f MB", b / 1e6);
        return String.format(Locale.ROOT, "%.0f KB", b / 1e3);
    }
}
