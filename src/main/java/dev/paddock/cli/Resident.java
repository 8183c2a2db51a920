package dev.paddock.cli;

import dev.paddock.config.PaddockHome;
import java.io.IOException;

/**
 * The resident Paddock as {@code paddock start --foreground} (and the detached child) runs it in this process. The
 * application supplies it when it runs the command line; the CLI itself never builds one.
 */
@FunctionalInterface
public interface Resident {
    /**
     * Runs until Paddock is told to stop.
     *
     * @param loadId what to load instead of {@code default-preset}, or null
     * @param console also log to stderr
     * @param tray show the tray where there is a display
     * @return the exit code
     */
    int run(PaddockHome home, String loadId, boolean console, boolean tray) throws IOException;
}
