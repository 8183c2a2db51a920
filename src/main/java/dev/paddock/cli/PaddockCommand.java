package dev.paddock.cli;

import picocli.CommandLine.Command;

/** {@code paddock}: the root command; each subcommand is a class of its own ({@link CommandTree}). */
@Command(
        name = "paddock",
        mixinStandardHelpOptions = true,
        versionProvider = VersionCommand.Provider.class,
        description = "Keeps one llama.cpp llama-server running and switches models instantly.")
public final class PaddockCommand {
    /**
     * Runs one command line and returns its exit code. {@code status} and {@code status --json}, which scripts and
     * status bars call in loops, skip picocli ({@link StatusCommand#runPlain}).
     */
    public static int execute(Resident resident, String... args) {
        java.util.OptionalInt plain = StatusCommand.runPlain(args);
        return plain.isPresent() ? plain.getAsInt() : Picocli.execute(resident, args);
    }

    /**
     * The one place that hands picocli our types: a class of its own, because verifying a method that passes a
     * {@link CommandFactory} as picocli's {@code IFactory} loads that picocli interface, and picocli's classes (built
     * for Java 5) are never in the class-data archive — even one of them opens the jars one by one. Loaded only for
     * command lines other than a plain status.
     */
    private static final class Picocli {
        static int execute(Resident resident, String... args) {
            return CommandTree.forLine(new CommandFactory(resident), args).execute(args);
        }
    }

    /** Runs one command line with its output thrown away (the build's class-data training run). */
    public static int executeQuietly(Resident resident, String... args) {
        java.io.PrintStream out = System.out;
        java.io.PrintStream err = System.err;
        java.io.PrintStream quiet = new java.io.PrintStream(
                java.io.OutputStream.nullOutputStream(), true, java.nio.charset.StandardCharsets.UTF_8);
        System.setOut(quiet);
        System.setErr(quiet);
        try {
            return execute(resident, args);
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }
}
