package dev.paddock.app;

import dev.paddock.cli.PaddockCommand;
import picocli.CommandLine;

/** Entry point: hands the arguments to the CLI. Usage errors exit 2, as picocli does by default. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(new CommandLine(new PaddockCommand()).execute(args));
    }
}
