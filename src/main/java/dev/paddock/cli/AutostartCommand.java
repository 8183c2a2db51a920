package dev.paddock.cli;

import dev.paddock.autostart.Autostart;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code paddock autostart on|off|status}: the login item that starts Paddock when you log in. */
@Command(
        name = "autostart",
        mixinStandardHelpOptions = true,
        description = "Start Paddock at login: on, off, or status.")
public final class AutostartCommand implements Callable<Integer> {
    enum Action {
        on,
        off,
        status
    }

    @Parameters(paramLabel = "on|off|status", description = "Valid values: ${COMPLETION-CANDIDATES}.")
    Action action;

    @Override
    public Integer call() throws IOException {
        Autostart a = Autostart.forThisPlatform(System.getenv());
        switch (action) {
            case on -> {
                Path launcher = Autostart.currentLauncher();
                if (launcher == null) {
                    return Output.error(
                            false,
                            "invalid_identifier",
                            "cannot tell which launcher to start at login; run this through launchers/paddock"
                                    + " (or the app image's launcher)",
                            Output.FAILED);
                }
                a.enable(launcher);
                System.out.println("Paddock starts at login: " + a.location() + " runs " + launcher + " start");
            }
            case off -> {
                a.disable();
                System.out.println("Paddock no longer starts at login (" + a.location() + " removed)");
            }
            case status -> System.out.println(a.isEnabled() ? "on (" + a.location() + ")" : "off");
        }
        return Output.OK;
    }
}
