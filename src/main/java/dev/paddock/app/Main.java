package dev.paddock.app;

import dev.paddock.cli.CdsTraining;
import dev.paddock.cli.PaddockCommand;
import java.io.IOException;

/** Entry point: hands the arguments to the CLI. Usage errors exit 2, as picocli does by default. */
public final class Main {
    private Main() {}

    public static void main(String[] args) throws IOException {
        if (args.length == 1 && args[0].equals(CdsTraining.FLAG)) System.exit(CdsTraining.run());
        System.exit(PaddockCommand.execute(args));
    }
}
