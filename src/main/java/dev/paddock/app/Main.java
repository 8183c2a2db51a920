package dev.paddock.app;

import dev.paddock.cli.PaddockCommand;
import dev.paddock.cli.Resident;
import java.io.IOException;

/** Entry point: hands the arguments to the CLI. Usage errors exit 2, as picocli does by default. */
public final class Main {
    /** The resident Paddock that {@code paddock start} runs in this process. */
    static final Resident RESIDENT =
            (home, loadId, console, tray) -> new Daemon(home, System.err).run(loadId, console, tray);

    private Main() {}

    public static void main(String[] args) throws IOException {
        if (args.length == 1 && args[0].equals(CdsTraining.FLAG)) System.exit(CdsTraining.run());
        System.exit(PaddockCommand.execute(RESIDENT, args));
    }
}
