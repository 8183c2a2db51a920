package dev.paddock.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;

/**
 * The command line's commands, and the picocli model of as much of them as a command line needs. Picocli reads every
 * subcommand's annotations when it builds a model: all nineteen took about 150 ms of each command's start on this
 * project's test machine (C1, cold), so a command line that names one command gets a model of that one alone. Help,
 * completion, the man page and anything that names no command get the whole tree.
 */
public final class CommandTree {
    /** The subcommands, by the name each one's {@code @Command} gives, in the order help lists them. */
    static final Map<String, Class<?>> SUBCOMMANDS = new LinkedHashMap<>();

    static {
        SUBCOMMANDS.put("start", StartCommand.class);
        SUBCOMMANDS.put("stop", StopCommand.class);
        SUBCOMMANDS.put("status", StatusCommand.class);
        SUBCOMMANDS.put("load", LoadCommand.class);
        SUBCOMMANDS.put("unload", UnloadCommand.class);
        SUBCOMMANDS.put("run", RunCommand.class);
        SUBCOMMANDS.put("ls", LsCommand.class);
        SUBCOMMANDS.put("models", ModelsCommand.class);
        SUBCOMMANDS.put("show", ShowCommand.class);
        SUBCOMMANDS.put("new", NewCommand.class);
        SUBCOMMANDS.put("pull", PullCommand.class);
        SUBCOMMANDS.put("rm", RmCommand.class);
        SUBCOMMANDS.put("search", SearchCommand.class);
        SUBCOMMANDS.put("install-server", InstallServerCommand.class);
        SUBCOMMANDS.put("logs", LogsCommand.class);
        SUBCOMMANDS.put("doctor", DoctorCommand.class);
        SUBCOMMANDS.put("autostart", AutostartCommand.class);
        SUBCOMMANDS.put("version", VersionCommand.class);
        SUBCOMMANDS.put("completion", CompletionCommand.class); // writes the whole tree: never built alone
    }

    private CommandTree() {}

    /** Every command, made by picocli's own factory (tests). */
    public static CommandLine whole() {
        return whole(CommandLine.defaultFactory());
    }

    /** Every command: for help, completion and the man page. */
    static CommandLine whole(CommandLine.IFactory factory) {
        CommandLine root = root(factory);
        SUBCOMMANDS.values().forEach(root::addSubcommand);
        return root;
    }

    private static CommandLine root(CommandLine.IFactory factory) {
        return new CommandLine(new PaddockCommand(), factory);
    }

    /** The model {@code args} need: the root and the one command they name, or else the whole tree. */
    static CommandLine forLine(CommandFactory factory, String... args) {
        Class<?> named = args.length == 0 ? null : SUBCOMMANDS.get(args[0]);
        if (named == null || named == CompletionCommand.class) return whole(factory);
        return root(factory).addSubcommand(named);
    }
}
