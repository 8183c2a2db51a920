package dev.paddock.app;

import dev.paddock.cli.PaddockCommand;
import dev.paddock.cli.Resident;
import java.io.IOException;

/** Entry point: hands the arguments to the CLI. Usage errors exit 2, as picocli does by default. */
public final class Main {
    /**
     * The resident Paddock that {@code paddock start} runs in this process. A class, not a lambda: spinning a lambda
     * costs ~15 ms at start, and {@code paddock status} is called in loops.
     */
    static final Resident RESIDENT = new DaemonResident();

    private static final class DaemonResident implements Resident {
        @Override
        public int run(dev.paddock.config.PaddockHome home, String loadId, boolean console, boolean tray)
                throws IOException {
            return new Daemon(home, System.err).run(loadId, console, tray);
        }
    }

    private Main() {}

    public static void main(String[] args) throws IOException {
        if (args.length == 1 && args[0].equals(CdsTraining.FLAG)) System.exit(CdsTraining.run());
        System.exit(PaddockCommand.execute(RESIDENT, args));
    }
}
