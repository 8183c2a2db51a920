package dev.paddock.bench;

import dev.paddock.app.Daemon;
import dev.paddock.autostart.LinuxAutostart;
import dev.paddock.config.PaddockHome;
import dev.paddock.testing.LlamaServerBinary;
import dev.paddock.testing.TestRig;
import dev.paddock.tray.Desktops;
import dev.paddock.tray.MenuModel;
import dev.paddock.tray.Tray;
import dev.paddock.tray.TrayController;
import dev.paddock.tray.TrayHost;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import javax.swing.SwingUtilities;

/**
 * The tray's figures, on a display (scripts/bench.sh runs it under Xvfb and fluxbox when there is none):
 *
 * <ul>
 *   <li>tray visible after {@code launchers/paddock start}: until the daemon logs that the tray is shown;
 *   <li>the daemon's resident memory with the tray shown and nothing loaded;
 *   <li>click on a preset → the menu shows it loading: from the click (on the event thread) until the tray host has
 *       been handed a menu with that preset marked loading, with the real Dorkbox tray.
 * </ul>
 */
public final class TrayBench {
    /** The two presets clicked in turn, named as people name them. */
    private static final String A = "Meta-Llama-3.1-8B-Instruct.Q4_K_M", B = "qwen2.5-coder-7b-instruct-q4_k_m";

    private TrayBench() {}

    public static void main(String[] args) throws Exception {
        BenchStats.printMachine();
        Path root = Path.of(System.getProperty("paddock.project.dir", ".")).toAbsolutePath();
        Path dir = Files.createTempDirectory("paddock-tray-bench");
        Path home = Files.createDirectories(dir.resolve("home/presets")).getParent();
        Path model = TestRig.tinyModel(dir, "Meta-Llama-3.1-8B-Instruct-Q4_K_M", 1);
        Files.writeString(
                home.resolve("config.yaml"),
                "llama-server: " + LlamaServerBinary.require() + "\nstop-timeout: 2s\njmx: {port: " + TestRig.freePort()
                        + "}\n");
        for (String p : List.of(A, B)) {
            Files.writeString(
                    home.resolve("presets/" + p + ".yaml"), "model: " + model + "\nport: auto\ncontext-size: 256\n");
        }

        BenchProcesses.run(
                root.resolve("launchers/paddock"), home, "version"); // builds the jar or the archive if needed
        int rounds = 5;
        long[] visibleMs = new long[rounds];
        long rssKb = 0;
        for (int i = 0; i < rounds; i++) {
            Path log = home.resolve("logs/daemon.log");
            Files.deleteIfExists(log);
            long t0 = System.nanoTime();
            BenchProcesses.run(root.resolve("launchers/paddock"), home, "start");
            while (!Files.exists(log) || !Files.readString(log).contains("tray shown")) {
                LockSupport.parkNanos(2_000_000);
            }
            visibleMs[i] = (System.nanoTime() - t0) / 1_000_000;
            if (i == rounds - 1) {
                Thread.sleep(5000); // settled: after start-up work
                long pid = Long.parseLong(
                        Files.readString(home.resolve("paddock.pid")).trim());
                rssKb = BenchProcesses.rssKb(pid);
            }
            BenchProcesses.run(root.resolve("launchers/paddock"), home, "stop");
        }

        long[] clickUs = clickToLoading(home, 40);
        Arrays.sort(visibleMs);
        System.out.printf(
                Locale.ROOT,
                "tray visible after `paddock start` (%d rounds): median %d ms, max %d ms (target <= 2000 ms)%n",
                rounds,
                visibleMs[rounds / 2],
                visibleMs[rounds - 1]);
        System.out.printf(
                Locale.ROOT,
                "daemon RSS with the tray shown, nothing loaded: %.1f MB (target <= 150 MB)%n",
                rssKb / 1024.0);
        Arrays.sort(clickUs);
        System.out.printf(
                Locale.ROOT,
                "click on a preset -> menu shows it loading (%d clicks, Dorkbox tray): median %.2f ms, max %.2f ms"
                        + " (target <= 100 ms)%n",
                clickUs.length,
                clickUs[clickUs.length / 2] / 1000.0,
                clickUs[clickUs.length - 1] / 1000.0);
        System.exit(0);
    }

    /** A Paddock in this JVM with the real Dorkbox tray; times each click until the host shows it loading. */
    private static long[] clickToLoading(Path home, int clicks) throws Exception {
        PaddockHome h = new PaddockHome(home);
        dev.paddock.app.Running running = new Daemon(h, new PrintStream(java.io.OutputStream.nullOutputStream()))
                .start(false)
                .orElseThrow();
        AtomicLong shownLoading = new AtomicLong();
        String[] wanted = new String[1];
        TrayHost[] realHost = new TrayHost[1];
        // wrap the real host: record when a menu with the clicked preset loading reaches it
        TrayHost timing = new TrayHost() {
            @Override
            public void show(MenuModel m, int frame) {
                realHost[0].show(m, frame);
                String w = wanted[0];
                if (w != null && m.presets().stream().anyMatch(p -> p.name().equals(w) && p.loading())) {
                    shownLoading.compareAndSet(0, System.nanoTime());
                }
            }

            @Override
            public boolean notify(String title, String body, boolean error) {
                return true;
            }

            @Override
            public String kind() {
                return realHost[0].kind();
            }

            @Override
            public void close() {
                realHost[0].close();
            }
        };
        TrayController timed = new TrayController(
                running.switchboard(),
                h,
                () -> running.config().presetsDir(),
                new LinuxAutostart(home.resolve("autostart")),
                new Desktops(),
                TrayController.Dialogs.NONE,
                running::stop,
                Clock.systemUTC());
        TrayHost real = Tray.create(timed, "dorkbox");
        realHost[0] = real;
        timed.attach(timing);
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < clicks + 3; i++) {
            String preset = i % 2 == 0 ? A : B;
            wanted[0] = preset;
            shownLoading.set(0);
            long[] t0 = new long[1];
            SwingUtilities.invokeAndWait(() -> {
                t0[0] = System.nanoTime();
                timed.load(preset);
            });
            while (shownLoading.get() == 0) LockSupport.parkNanos(100_000);
            if (i >= 3) out.add((shownLoading.get() - t0[0]) / 1000);
            while (!running.switchboard().status().state().equals("running")) {
                LockSupport.parkNanos(1_000_000);
            }
        }
        timed.close();
        running.stop();
        return out.stream().mapToLong(Long::longValue).toArray();
    }
}
