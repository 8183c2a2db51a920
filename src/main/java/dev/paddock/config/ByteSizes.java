package dev.paddock.config;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses sizes such as {@code 50MB}: units B, KB, MB, GB, each 1024 times the last. */
public final class ByteSizes {
    private static final Pattern FORM = Pattern.compile("(\\d{1,12})\\s*(B|KB|MB|GB|K|M|G|KIB|MIB|GIB)?");

    private ByteSizes() {}

    /** @throws IllegalArgumentException with a message fit for a person when the text is not a size */
    public static long parse(String text) {
        Matcher m = FORM.matcher(text.trim().toUpperCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    "'" + text + "' is not a size: write a number and a unit (B, KB, MB, GB), e.g. 50MB");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "B" : m.group(2);
        int shift =
                switch (unit.charAt(0)) {
                    case 'K' -> 10;
                    case 'M' -> 20;
                    case 'G' -> 30;
                    default -> 0;
                };
        if (n > (Long.MAX_VALUE >> shift)) throw new IllegalArgumentException("'" + text + "' is too large");
        return n << shift;
    }
}
