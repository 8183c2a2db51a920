package dev.paddock.cli;

import dev.paddock.config.PaddockHome;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code paddock unload}: stops the server (cancelling a load in progress); Paddock keeps running. */
@Command(name = "unload", mixinStandardHelpOptions = true, description = "Stop the running model; Paddock stays up.")
public final class UnloadCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        try (DaemonClient c = DaemonClient.connect(PaddockHome.fromEnvironment(System.getenv()))) {
            c.supervisor.unload();
            System.out.println("unloaded");
            return Output.OK;
        } catch (DaemonClient.NotRunning e) {
            return Output.notRunning(false, e);
        }
    }
}
