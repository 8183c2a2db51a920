package dev.paddock.cli;

import dev.paddock.config.Config;
import dev.paddock.config.PaddockHome;
import dev.paddock.supervisor.LaunchPlanner;
import dev.paddock.supervisor.PidFile;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code paddock start}: runs the resident app, detached from the terminal unless {@code --foreground}.
 * Idempotent: when Paddock already runs for this home it says so and exits 0.
 */
@Command(name = "start", mixinStandardHelpOptions = true, description = "Start Paddock (the resident app).")
public final class StartCommand implements Callable<Integer> {
    @Option(
            names = "--foreground",
            description = "Stay attached to this terminal; Ctrl-C stops Paddock and its server.")
    boolean foreground;

    /** The detached child itself: runs like --foreground but logs to daemon.log only. */
    @Option(names = "--detached", hidden = true)
    boolean detached;

    @Option(names = "--no-tray", description = "Run without the tray icon.")
    boolean noTray;

    @Option(names = "--load", paramLabel = "ID", description = "Load this preset or model instead of default-preset.")
    String load;

    /** What runs Paddock in this process (set by {@link PaddockCommand}). */
    Resident resident;

    @Override
    public Integer call() throws Exception {
        PaddockHome home = PaddockHome.fromEnvironment(System.getenv());
        if (foreground || detached) {
            if (resident == null) throw new IllegalStateException("no resident Paddock to run in this process");
            return resident.run(home, load, !detached, !noTray);
        }
        Optional<ProcessHandle> running = PidFile.livePaddock(home);
        if (running.isPresent()) {
            System.out.println(
                    "Paddock is already running (pid " + running.get().pid() + ")");
            return Output.OK;
        }
        Config config = Output.configOrReport(home);
        if (config == null) return Output.FAILED;
        try {
            long pid = Detacher.start(home, config, load, noTray);
            System.out.println("Paddock started (pid " + pid + "); logs in " + home.daemonLog());
            // Paddock runs without one, but nothing will load: say so now, not at the first load
            noServer(config).ifPresent(why -> System.out.println("No llama-server yet, so nothing will load: " + why));
            examplesHint(config);
            return Output.OK;
        } catch (IOException e) {
            return Output.error(
                    false,
                    "server_failed",
                    e.getMessage().startsWith("Paddock cannot start")
                            ? e.getMessage()
                            : "Paddock did not start: " + e.getMessage(),
                    Output.FAILED);
        }
    }

    /** Why a load would find no llama-server (config.yaml's, else one on PATH); empty when it would find one. */
    static Optional<String> noServer(Config config) {
        return new LaunchPlanner(() -> config, System.getenv("PATH")).whyNoServer();
    }

    /** On a home with no presets: the examples that ship with Paddock, and the one command that runs one. */
    private static void examplesHint(Config config) {
        if (!dev.paddock.preset.PresetLoader.loadDirectory(config.presetsDir())
                .names()
                .isEmpty()) return;
        var examples = dev.paddock.preset.ExamplePresets.all();
        if (examples.isEmpty()) return;
        System.out.println("No presets yet. To download a small model and chat with it:");
        System.out.println("  paddock run "
                + examples.stream()
                        .filter(x -> x.name().startsWith("qwen"))
                        .findFirst()
                        .orElse(examples.get(0))
                        .model());
        System.out.println("Examples (on a desktop, the tray's Get started writes one into " + config.presetsDir()
                + " and loads it):");
        for (var x : examples) {
            System.out.println("  " + x.name() + "  " + (x.description() == null ? "" : x.description() + "  ") + "("
                    + x.model() + ")");
        }
    }
}
