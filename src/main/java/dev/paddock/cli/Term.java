package dev.paddock.cli;

import java.time.Duration;
import java.time.Instant;

/**
 * Colours and terminal redraws, only on a terminal that shows them: standard output is a terminal, and it takes
 * ANSI escapes (picocli's judgement: a Windows console only with a host that does, such as Windows Terminal,
 * ConEmu or a Cygwin/MSYS shell; {@code -Dpicocli.ansi=true|false} overrides it), and {@code NO_COLOR} is unset.
 */
final class Term {
    /** Standard input and output are a terminal (a person at a keyboard and a screen, not a pipe or a file). */
    static final boolean TTY = consoleIsTerminal();

    /** The terminal understands ANSI escapes: colours, and lines redrawn in place. */
    static final boolean ANSI = TTY && picocli.CommandLine.Help.Ansi.AUTO.enabled();

    static final boolean COLOUR = ANSI && System.getenv("NO_COLOR") == null && !"dumb".equals(System.getenv("TERM"));

    private Term() {}

    /**
     * Java gives a console when both standard input and output are a terminal; Java 22 to 24 give one even when
     * redirected, and say through {@code Console.isTerminal()}.
     */
    private static boolean consoleIsTerminal() {
        java.io.Console c = System.console();
        if (c == null) return false;
        try {
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(c);
        } catch (ReflectiveOperationException e) {
            return true; // before Java 22: a console means a terminal
        }
    }

    /**
     * Runs {@code r} on Ctrl-C (SIGINT) instead of exiting; false where the JVM offers no way to catch it. The JDK's
     * {@code sun.misc.Signal} is looked up by reflection, as it is not a compile-time API.
     */
    static boolean onInterrupt(Runnable r) {
        try {
            Class<?> signal = Class.forName("sun.misc.Signal");
            Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
            Object handler = java.lang.reflect.Proxy.newProxyInstance(
                    handlerType.getClassLoader(), new Class<?>[] {handlerType}, (proxy, method, args) -> {
                        switch (method.getName()) {
                            case "handle" -> r.run();
                            case "hashCode" -> {
                                return System.identityHashCode(proxy);
                            }
                            case "equals" -> {
                                return proxy == args[0];
                            }
                            case "toString" -> {
                                return "paddock Ctrl-C handler";
                            }
                            default -> {}
                        }
                        return null;
                    });
            signal.getMethod("handle", signal, handlerType)
                    .invoke(null, signal.getConstructor(String.class).newInstance("INT"), handler);
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }

    static String green(String s) {
        return sgr("32", s);
    }

    static String yellow(String s) {
        return sgr("33", s);
    }

    static String red(String s) {
        return sgr("31", s);
    }

    static String bold(String s) {
        return sgr("1", s);
    }

    static String dim(String s) {
        return sgr("2", s);
    }

    private static String sgr(String code, String s) {
        return COLOUR ? "\033[" + code + "m" + s + "\033[0m" : s;
    }

    /** A state name in its colour: running green, loading and stopping yellow, failed red, idle dim. */
    static String state(String state) {
        return switch (state) {
            case "running" -> green(state);
            case "loading", "stopping" -> yellow(state);
            case "failed" -> red(state);
            default -> dim(state);
        };
    }

    /** Clears the terminal before a redraw; nothing where escapes would show as text. */
    static String clearScreen() {
        return ANSI ? "\033[H\033[2J" : "";
    }

    /** {@code 2026-11-21 11:00:00 (3m ago)} in the local zone. */
    static String since(String isoInstant, Instant now) {
        Instant t;
        try {
            t = instant(isoInstant);
        } catch (RuntimeException e) {
            return isoInstant;
        }
        return local(t) + " " + dim("(" + ago(Duration.between(t, now)) + ")");
    }

    /**
     * {@code 2026-11-21T10:00:00.123Z} as {@link Instant#toString()} writes it, read by hand: {@code Instant.parse}
     * first builds every standard {@code DateTimeFormatter}, a cost {@code paddock status} pays on each call.
     */
    static Instant instant(String iso) {
        if (iso.length() < 20 || iso.charAt(10) != 'T' || !iso.endsWith("Z")) return Instant.parse(iso);
        long nanos = 0;
        if (iso.charAt(19) == '.') {
            String frac = iso.substring(20, iso.length() - 1);
            nanos = Long.parseLong((frac + "000000000").substring(0, 9));
        }
        return java.time.LocalDateTime.of(
                        Integer.parseInt(iso, 0, 4, 10),
                        Integer.parseInt(iso, 5, 7, 10),
                        Integer.parseInt(iso, 8, 10, 10),
                        Integer.parseInt(iso, 11, 13, 10),
                        Integer.parseInt(iso, 14, 16, 10),
                        Integer.parseInt(iso, 17, 19, 10),
                        (int) nanos)
                .toInstant(java.time.ZoneOffset.UTC);
    }

    /**
     * {@code 2026-11-21 11:00:00} in the local zone, put together by hand: a {@code DateTimeFormatter} pattern costs
     * {@code paddock status} (called in loops) tens of milliseconds to build.
     */
    static String local(Instant t) {
        // the zone's offset from java.util.TimeZone: java.time's zone rules are found through a ServiceLoader that
        // opens every jar on the class path first
        int offset = java.util.TimeZone.getDefault().getOffset(t.toEpochMilli()) / 1000;
        java.time.LocalDateTime d = java.time.LocalDateTime.ofEpochSecond(
                t.getEpochSecond(), 0, java.time.ZoneOffset.ofTotalSeconds(offset));
        StringBuilder b = new StringBuilder(19);
        b.append(d.getYear()).append('-');
        two(b, d.getMonthValue()).append('-');
        two(b, d.getDayOfMonth()).append(' ');
        two(b, d.getHour()).append(':');
        two(b, d.getMinute()).append(':');
        return two(b, d.getSecond()).toString();
    }

    private static StringBuilder two(StringBuilder b, int n) {
        return b.append(n < 10 ? "0" : "").append(n);
    }

    static String ago(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s < 60) return s + "s ago";
        if (s < 3600) return s / 60 + "m ago";
        if (s < 86400) return s / 3600 + "h " + (s % 3600) / 60 + "m ago";
        return s / 86400 + "d ago";
    }

    /** {@code 1.4 s} or {@code 320 ms}. */
    static String elapsed(Duration d) {
        long ms = d.toMillis();
        return ms < 1000 ? ms + " ms" : String.format("%.1f s", ms / 1000.0);
    }
}
