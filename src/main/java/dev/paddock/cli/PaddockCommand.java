package dev.paddock.cli;

import picocli.CommandLine.Command;

/** {@code paddock}: the root command; each subcommand is a class of its own. */
@Command(
        name = "paddock",
        mixinStandardHelpOptions = true,
        versionProvider = VersionCommand.Provider.class,
        description = "Keeps one llama.cpp llama-server running and switches models instantly.",
        subcommands = {
            StartCommand.class,
            StopCommand.class,
            StatusCommand.class,
            LoadCommand.class,
            UnloadCommand.class,
            LsCommand.class,
            ShowCommand.class,
            VersionCommand.class
        })
public final class PaddockCommand {}
