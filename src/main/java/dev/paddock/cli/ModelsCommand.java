package dev.paddock.cli;

import dev.paddock.config.PaddockHome;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * {@code paddock models}: opens the Models window (every model Paddock can run, the hub's, downloads) on the
 * desktop the running Paddock shows its tray on. {@code paddock ls} is the same list in the terminal.
 */
@Command(
        name = "models",
        mixinStandardHelpOptions = true,
        description = "Open the Models window on Paddock's desktop (paddock ls lists them here).")
public final class ModelsCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        try (DaemonClient c = DaemonClient.connect(PaddockHome.fromEnvironment(System.getenv()))) {
            c.supervisor.showWindow("models");
            System.out.println("the Models window is open on Paddock's desktop");
            return Output.OK;
        } catch (DaemonClient.NotRunning e) {
            return Output.notRunning(false, e);
        } catch (RuntimeException e) {
            return Output.failed(false, e);
        }
    }
}
