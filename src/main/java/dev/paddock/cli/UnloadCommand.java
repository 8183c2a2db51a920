package dev.paddock.cli;

import dev.paddock.config.PaddockHome;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code paddock unload [--force]}: stops the server (cancelling a load in progress) after the gateway's requests in
 * flight; Paddock keeps running.
 */
@Command(name = "unload", mixinStandardHelpOptions = true, description = "Stop the running model; Paddock stays up.")
public final class UnloadCommand implements Callable<Integer> {
    @Option(names = "--force", description = "Unload at once, cutting the gateway's requests in flight.")
    boolean force;

    @Override
    public Integer call() {
        try (DaemonClient c = DaemonClient.connect(PaddockHome.fromEnvironment(System.getenv()))) {
            c.supervisor.unload(force);
            System.out.println("unloaded");
            return Output.OK;
        } catch (DaemonClient.NotRunning e) {
            return Output.notRunning(false, e);
        }
    }
}
