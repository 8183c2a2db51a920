package dev.paddock.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.AWTEvent;
import java.awt.EventQueue;
import java.awt.Toolkit;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Watches the event thread of a GUI test: every event it dispatches is timed, and one that takes longer than the
 * limit (a stall a person would feel) is recorded, as is any exception thrown on it. {@link #close()} fails the test
 * for either. Armed only from {@link #arm()} on, so a window's first construction (class loading, fonts) does not
 * count; everything a person does after the window is up does. An event during which the JVM loaded classes is the
 * first use of its code path in this test's fresh JVM (tens of ms on two cores for a first keystroke or focus change):
 * it is held to 500 ms instead (and printed when over the limit); the benchmark measures a fresh JVM's first paint.
 * Time the JVM spent collecting, or the event thread spent waiting for a processor other processes held, is not the
 * event's and is not counted.
 */
public final class EdtWatch implements AutoCloseable {
    private final long limitNanos;
    private final List<String> stalls = new CopyOnWriteArrayList<>();
    private final List<Throwable> thrown = new CopyOnWriteArrayList<>();
    private final AtomicLong longest = new AtomicLong();
    private final Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
    private volatile boolean armed;
    private volatile boolean quiet;

    private EdtWatch(Duration limit) {
        this.limitNanos = limit.toNanos();
    }

    /**
     * The one timing queue of this JVM, pushed once and never popped: a popped queue stays referenced by windows that
     * outlive a test (Swing's shared owner frame), and AssertJ Swing would then wait on it for ever.
     */
    private static Timing queue;

    private static volatile EdtWatch active;

    /** Starts timing the event thread's events and catching its exceptions; not counting stalls until armed. */
    public static EdtWatch install(Duration limit) {
        EdtWatch w = new EdtWatch(limit);
        synchronized (EdtWatch.class) {
            if (queue == null) {
                queue = new Timing();
                Toolkit.getDefaultToolkit().getSystemEventQueue().push(queue);
            }
        }
        active = w;
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> {
            w.thrown.add(e);
            if (w.previous != null) w.previous.uncaughtException(t, e);
        });
        return w;
    }

    /** Prints nothing of the events near the limit (a benchmark prints its own summary). */
    public EdtWatch quiet() {
        quiet = true;
        return this;
    }

    /** Counts stalls from now on (and forgets the longest event so far). */
    public EdtWatch arm() {
        longest.set(0);
        armed = true;
        return this;
    }

    /** Stops counting stalls until the next {@link #arm()} (a test opening another window). */
    public EdtWatch disarm() {
        settle();
        armed = false;
        return this;
    }

    /** The longest event dispatched since {@link #arm()}, in nanoseconds. */
    public long longestNanos() {
        settle();
        return longest.get();
    }

    /** The stalls over the limit since {@link #arm()}. */
    public List<String> stalls() {
        settle();
        return List.copyOf(stalls);
    }

    /**
     * Lets the event thread finish timing what it dispatched so far: {@code invokeAndWait} returns when its task has
     * run, a moment before the dispatch around it (and its timing) ends; the next event starts only after that.
     */
    private static void settle() {
        if (javax.swing.SwingUtilities.isEventDispatchThread()) return;
        try {
            javax.swing.SwingUtilities.invokeAndWait(() -> {});
            javax.swing.SwingUtilities.invokeAndWait(() -> {});
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Fails when an event took longer than the limit or anything was thrown on the event thread. */
    @Override
    public void close() {
        settle();
        if (!quiet)
            System.out.printf(
                    java.util.Locale.ROOT, "longest event-thread event while armed: %.1f ms%n", longest.get() / 1e6);
        if (active == this) active = null;
        Thread.setDefaultUncaughtExceptionHandler(previous);
        assertThat(thrown).as("exceptions thrown on the event thread").isEmpty();
        assertThat(stalls)
                .as("event-thread stalls over " + limitNanos / 1_000_000 + " ms")
                .isEmpty();
    }

    private static final java.lang.management.ClassLoadingMXBean LOADING =
            java.lang.management.ManagementFactory.getClassLoadingMXBean();

    /** The limit for an event that loaded classes (a code path's first use in this JVM): still a stall beyond it. */
    private static final long FIRST_USE_LIMIT = Duration.ofMillis(500).toNanos();

    /** Milliseconds all collectors have spent so far. */
    private static long gcMillis() {
        long total = 0;
        for (var c : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
            total += Math.max(0, c.getCollectionTime());
        }
        return total;
    }

    /**
     * AssertJ Swing's own work on the event thread (reading a label's text, selecting a field's text before it
     * deletes it, scrolling to a component: {@code GuiActionRunner}'s queries and tasks) is the test driving, not a
     * person acting: held to the first-use limit. In CI such a task took 107-133 ms while the app's listener it set
     * off (PreferencesDialog's check of the field) took at most 3 ms; the app's own events stay at the stall limit.
     */
    private static boolean isTestDriversQuery(AWTEvent event) {
        return event instanceof java.awt.event.InvocationEvent
                && event.paramString().contains("runnable=org.assertj.swing.edt.GuiActionRunner$");
    }

    /** Where Linux keeps the calling thread's scheduling figures: the second is its time spent waiting for a CPU. */
    private static final java.nio.file.Path SCHEDSTAT = java.nio.file.Path.of("/proc/thread-self/schedstat");

    /**
     * Nanoseconds the calling thread has waited, runnable, for a processor that other processes held; 0 where the
     * kernel does not say. On a 2-core machine running the tests beside Xvfb, that wait is the machine's, not the
     * event's (an event of 101 ms failed CI so).
     */
    private static long runQueueWait() {
        try {
            return Long.parseLong(
                    java.nio.file.Files.readString(SCHEDSTAT).trim().split(" ")[1]);
        } catch (java.io.IOException | RuntimeException e) {
            return 0;
        }
    }

    private static final class Timing extends EventQueue {
        /** One flag per event being dispatched: set when a nested loop (a modal dialog) ran inside it. */
        private final java.util.ArrayDeque<boolean[]> open = new java.util.ArrayDeque<>();

        @Override
        protected void dispatchEvent(AWTEvent event) {
            if (!open.isEmpty()) open.peek()[0] = true;
            boolean[] nested = {false};
            open.push(nested);
            long classes = LOADING.getTotalLoadedClassCount();
            long gc = gcMillis();
            long waited = runQueueWait();
            long start = System.nanoTime();
            try {
                super.dispatchEvent(event);
            } catch (RuntimeException | Error e) {
                EdtWatch w = active;
                if (w != null) w.thrown.add(e);
                throw e;
            } finally {
                open.pop();
                // a collection pauses every thread: its time is the JVM's, not this event's; nor is the time the
                // thread waited for a processor other processes held
                long took = System.nanoTime() - start - (gcMillis() - gc) * 1_000_000 - (runQueueWait() - waited);
                EdtWatch w = active;
                // an event that opened a modal dialog lasts as long as the dialog: its inner events are timed instead
                if (w != null && w.armed && !nested[0]) {
                    w.longest.accumulateAndGet(took, Math::max);
                    boolean firstUse = LOADING.getTotalLoadedClassCount() > classes;
                    boolean lenient = firstUse || isTestDriversQuery(event);
                    if (took > FIRST_USE_LIMIT || (took > w.limitNanos && !lenient)) {
                        w.stalls.add(event + " took " + took / 1_000_000 + " ms"
                                + (firstUse ? " (loading classes: its first use)" : ""));
                    } else if (took > w.limitNanos / 2 && !w.quiet) { // in the test's output: what came near the limit
                        System.out.printf(
                                java.util.Locale.ROOT,
                                "event-thread event of %d ms%s: %s%n",
                                took / 1_000_000,
                                firstUse ? " (first use: classes loaded meanwhile)" : "",
                                event);
                    }
                }
            }
        }
    }
}
