package dev.paddock.cli;

import dev.paddock.app.Daemon;
import dev.paddock.config.PaddockHome;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code paddock start}: runs the resident app. */
@Command(name = "start", mixinStandardHelpOptions = true, description = "Start Paddock (the resident app).")
public final class StartCommand implements Callable<Integer> {
    @Option(
            names = "--foreground",
            description = "Stay attached to this terminal; Ctrl-C stops Paddock and its server.")
    boolean foreground;

    @Option(names = "--no-tray", description = "Run without the tray icon.")
    boolean noTray;

    @Option(names = "--load", paramLabel = "ID", description = "Load this preset or model instead of default-preset.")
    String load;

    @Override
    public Integer call() throws Exception {
        if (!foreground) {
            System.err.println("paddock start: running in the foreground (detaching arrives with the daemon); "
                    + "Ctrl-C stops Paddock and its server");
        }
        return new Daemon(PaddockHome.fromEnvironment(System.getenv()), System.err).runForeground(load);
    }
}
