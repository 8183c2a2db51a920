package dev.paddock.cli;

import dev.paddock.config.PaddockHome;
import dev.paddock.supervisor.PidFile;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code paddock stop}: asks the running Paddock to exit (SIGTERM: it unloads gracefully, killing the server after
 * its stop timeout) and waits until it is gone.
 */
@Command(name = "stop", mixinStandardHelpOptions = true, description = "Stop Paddock (unloading its server first).")
public final class StopCommand implements Callable<Integer> {
    @Option(names = "--timeout", paramLabel = "SECONDS", description = "How long to wait (default ${DEFAULT-VALUE}).")
    long timeoutSeconds = 60;

    @Override
    public Integer call() throws Exception {
        PaddockHome home = PaddockHome.fromEnvironment(System.getenv());
        Optional<ProcessHandle> paddock = PidFile.livePaddock(home);
        if (paddock.isEmpty()) {
            return Output.error(false, "not_running", "Paddock is not running for " + home.root(), Output.NOT_RUNNING);
        }
        paddock.get().destroy();
        try {
            paddock.get().onExit().get(timeoutSeconds, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            return Output.error(
                    false,
                    "timeout",
                    "Paddock (pid " + paddock.get().pid() + ") did not exit within " + timeoutSeconds + "s; see "
                            + home.daemonLog(),
                    Output.FAILED);
        }
        System.out.println("Paddock stopped");
        return Output.OK;
    }
}
