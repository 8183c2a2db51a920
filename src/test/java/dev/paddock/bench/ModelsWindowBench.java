package dev.paddock.bench;

import dev.paddock.model.GgufException;
import dev.paddock.model.GgufInfo;
import dev.paddock.model.GgufReader;
import dev.paddock.model.LocalModel;
import dev.paddock.testing.EdtWatch;
import dev.paddock.testing.TinyGguf;
import dev.paddock.ui.ModelsWindow;
import dev.paddock.ui.Theme;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import javax.swing.SwingUtilities;

/**
 * The Models window with 500 models, on a display (scripts/bench.sh runs it under Xvfb when there is none), in a
 * JVM with the daemon's flags: from the call that opens it until its table has painted rows (the first open, then
 * warm opens), and the longest event on the event thread while the 500 headers are read and shown (each a real GGUF
 * header read from disk: hard links of one small model under hub-like names). {@code daemon} as second argument:
 * the first open follows the warm-up a running Paddock does after its tray is up ({@link ModelsWindow#prewarm});
 * without it, the first open is in a fresh JVM.
 */
public final class ModelsWindowBench {
    private ModelsWindowBench() {}

    /**
     * The models of the benchmark, with their headers read from disk as the daemon reads them, and a downloads list
     * (nothing is downloaded) so the window has its Get models tab, as in the daemon.
     */
    private record Shelf(List<LocalModel> list, dev.paddock.hub.Downloads downloads) implements ModelsWindow.Library {
        @Override
        public List<LocalModel> models() {
            return list;
        }

        @Override
        public GgufInfo header(Path file) throws GgufException {
            return GgufReader.read(file);
        }

        @Override
        public void load(LocalModel model) {}

        @Override
        public void remove(LocalModel model) {}

        @Override
        public void newPreset(LocalModel model) {}

        @Override
        public void showInFolder(Path file) {}
    }

    public static void main(String[] args) throws Exception {
        BenchStats.printMachine();
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        // "daemon": first the warm-up a running Paddock does a few seconds after its tray is up; "fresh": none
        boolean daemon = args.length > 1 && args[1].equals("daemon");
        Path dir = Files.createTempDirectory("paddock-models-bench");
        Path one = TinyGguf.write(dir.resolve("one.gguf"), "Qwen2.5 Coder 7B Instruct", 1);
        String[] quants = {"Q4_K_M", "Q5_K_M", "Q8_0", "IQ4_XS", "Q6_K"};
        List<LocalModel> list = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String repo = "Qwen2.5-Coder-" + (i / quants.length) + "B-Instruct-GGUF";
            String quant = quants[i % quants.length];
            Path file = Files.createDirectories(dir.resolve("models/Qwen/" + repo))
                    .resolve("qwen2.5-coder-" + (i / quants.length) + "b-instruct-" + quant.toLowerCase(Locale.ROOT)
                            + ".gguf");
            Files.createLink(file, one);
            list.add(new LocalModel("Qwen", repo, file, quant));
        }
        Shelf shelf = new Shelf(
                list,
                new dev.paddock.hub.Downloads(
                        id -> {
                            throw new IllegalStateException("the benchmark downloads nothing");
                        },
                        id -> dir));
        SwingUtilities.invokeAndWait(() -> Theme.apply("light"));
        EdtWatch watch = EdtWatch.install(Duration.ofMillis(50)).quiet();
        double warmUpMs = 0;
        double warmUpLongestMs = 0;
        if (daemon) {
            java.util.concurrent.CountDownLatch warmed = new java.util.concurrent.CountDownLatch(1);
            watch.arm();
            long t0 = System.nanoTime();
            SwingUtilities.invokeLater(() -> ModelsWindow.prewarm(shelf, ModelsWindow.PREWARM_ROWS, warmed::countDown));
            warmed.await();
            warmUpMs = (System.nanoTime() - t0) / 1e6;
            warmUpLongestMs = watch.longestNanos() / 1e6;
            watch.disarm();
        }
        int rounds = 6;
        double[] paintMs = new double[rounds];
        double[] headersMs = new double[rounds];
        double[] longestMs = new double[rounds];
        List<String> stalls = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            AtomicReference<ModelsWindow> w = new AtomicReference<>();
            long start = System.nanoTime();
            SwingUtilities.invokeAndWait(() -> {
                w.set(new ModelsWindow(shelf));
                w.get().setLocation(20, 20);
                w.get().setVisible(true);
            });
            while (w.get().firstRowsPaintedNanos() == 0) LockSupport.parkNanos(200_000);
            paintMs[r] = (w.get().firstRowsPaintedNanos() - start) / 1e6;
            watch.arm(); // from the first paint on: the headers arriving
            AtomicInteger pending = new AtomicInteger(-1);
            while (pending.get() != 0) {
                LockSupport.parkNanos(1_000_000);
                SwingUtilities.invokeAndWait(() ->
                        pending.set(w.get().modelCount() == count ? w.get().headersPending() : -1));
            }
            headersMs[r] = (System.nanoTime() - start) / 1e6;
            longestMs[r] = watch.longestNanos() / 1e6;
            for (String st : watch.stalls())
                stalls.add("open " + (r + 1) + ": " + st.replaceAll(",notifier=.*\\] on", "] on"));
            SwingUtilities.invokeAndWait(w.get()::dispose);
        }
        double[] warm = java.util.Arrays.copyOfRange(paintMs, 1, rounds);
        double[] warmHeaders = java.util.Arrays.copyOfRange(headersMs, 1, rounds);
        double worst = 0;
        for (double x : longestMs) worst = Math.max(worst, x);
        if (daemon)
            System.out.printf(
                    Locale.ROOT,
                    "models window, %d models: first open in a running Paddock (after its warm-up at start: %.0f ms"
                            + " off screen, longest event-thread event %.0f ms) %.0f ms, warm median %.0f ms (target <="
                            + " 300 ms)%n",
                    count,
                    warmUpMs,
                    warmUpLongestMs,
                    paintMs[0],
                    BenchStats.median(warm));
        else
            System.out.printf(
                    Locale.ROOT,
                    "models window, %d models, in a fresh JVM without the warm-up: first paint %.0f ms, warm median"
                            + " %.0f ms%n",
                    count,
                    paintMs[0],
                    BenchStats.median(warm));
        System.out.printf(
                Locale.ROOT,
                "every header read and shown: %.0f ms at the first open, warm median %.0f ms%n",
                headersMs[0],
                BenchStats.median(warmHeaders));
        System.out.printf(
                Locale.ROOT,
                "event-thread events while headers load, %d opens: longest %.1f ms (first uses included); %d over"
                        + " 50 ms that loaded no classes%s%n",
                rounds,
                worst,
                stalls.size(),
                daemon ? " (target: none)" : "");
        for (String st : stalls) System.out.println("  " + st);
        System.exit(0);
    }
}
