package dev.paddock.cli;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

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

    private static final DateTimeFormatter LOCAL =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

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
            t = Instant.parse(isoInstant);
        } catch (RuntimeException e) {
            return isoInstant;
        }
        return LOCAL.format(t) + " " + dim("(" + ago(Duration.between(t, now)) + ")");
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
