package dev.paddock.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * {@code paddock(1)}: the manual page, written from picocli's model of every command (the same model {@code --help}
 * and the completion script come from), so it never disagrees with them. The package installs it; {@code main}
 * writes it to a file.
 */
public final class ManPage {
    private ManPage() {}

    /** Writes the page to {@code args[0]}. */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: ManPage FILE");
            System.exit(2);
        }
        Files.writeString(Path.of(args[0]), troff(LocalDate.now()), StandardCharsets.UTF_8);
    }

    /** The page in troff's man macros, dated {@code date}. */
    public static String troff(LocalDate date) {
        CommandLine root = CommandTree.whole(new CommandFactory(null));
        StringBuilder b = new StringBuilder();
        b.append(".TH PADDOCK 1 \"")
                .append(date)
                .append("\" \"Paddock ")
                .append(VersionCommand.version())
                .append("\" \"User Commands\"\n");
        b.append(".SH NAME\npaddock \\- ")
                .append(text(first(root.getCommandSpec())))
                .append('\n');
        b.append(".SH SYNOPSIS\n.B paddock\n.I COMMAND\n.RI [ OPTIONS ]\n");
        b.append(".SH DESCRIPTION\n")
                .append(text("Paddock keeps one llama.cpp llama-server running and makes switching models one call:"
                        + " from the tray, this command, JMX or its OpenAI-compatible gateway, which loads the model a"
                        + " request names. It finds the models other tools keep (Hugging Face's cache, LM Studio,"
                        + " Ollama) and pulls from Hugging Face (h:ORG/REPO[:QUANT]) and Ollama's registry"
                        + " (o:NAME[:TAG])."))
                .append("\n.PP\n")
                .append(text("Most commands talk to the running Paddock (paddock start); new, logs, show, load"
                        + " --dry-run and doctor read files and work while it is down."))
                .append('\n');
        b.append(".SH COMMANDS\n");
        for (CommandLine sub : root.getSubcommands().values()) {
            CommandSpec spec = sub.getCommandSpec();
            b.append(".SS \"").append(text(synopsis(spec))).append("\"\n");
            for (String line : spec.usageMessage().description())
                b.append(text(line)).append("\n.br\n");
            for (PositionalParamSpec p : spec.positionalParameters()) {
                if (p.hidden()) continue;
                b.append(".TP\n.I ").append(text(p.paramLabel())).append('\n');
                b.append(text(String.join(" ", p.description()))).append('\n');
            }
            for (OptionSpec o : spec.options()) {
                if (o.hidden() || o.usageHelp() || o.versionHelp()) continue;
                b.append(".TP\n.B ")
                        .append(text(String.join(", ", o.names())))
                        .append(o.typeInfo().isBoolean() ? "" : " " + text(o.paramLabel()))
                        .append('\n');
                b.append(text(String.join(" ", o.description()))).append('\n');
            }
        }
        b.append(".SH EXIT STATUS\n")
                .append(".TP\n.B 0\nDone.\n.TP\n.B 1\nThe request failed; the message says why and what to do.\n")
                .append(".TP\n.B 2\nA usage error.\n.TP\n.B 3\nPaddock is not running (paddock start).\n");
        b.append(".SH ENVIRONMENT\n");
        env(b, "PADDOCK_HOME", "Paddock's folder (default ~/.paddock).");
        env(b, "HF_ENDPOINT, HF_TOKEN, HF_HOME, HF_HUB_CACHE", "Hugging Face's address, token and cache.");
        env(b, "OLLAMA_MODELS, OLLAMA_REGISTRY", "Ollama's store and registry.");
        env(b, "LLAMA_CACHE", "llama.cpp's download cache.");
        env(b, "PADDOCK_API_KEY", "The gateway key paddock run sends (else the first of gateway.api-keys).");
        env(b, "NO_COLOR", "No colours in the output.");
        b.append(".SH FILES\n");
        env(b, "~/.paddock/config.yaml", "The settings (Preferences in the tray edits it).");
        env(b, "~/.paddock/presets/", "One YAML file per preset; edits apply at once.");
        env(b, "~/.paddock/models/", "Models pulled from the hub and Ollama's registry.");
        env(b, "~/.paddock/logs/llama.log, ~/.paddock/logs/daemon.log", "llama-server's output and Paddock's own log.");
        b.append(".SH SEE ALSO\n")
                .append(text("paddock COMMAND --help; the README and docs/contract.md in Paddock's sources."))
                .append('\n');
        return b.toString();
    }

    private static void env(StringBuilder b, String name, String what) {
        b.append(".TP\n.B ").append(text(name)).append('\n').append(text(what)).append('\n');
    }

    private static String first(CommandSpec spec) {
        String[] d = spec.usageMessage().description();
        return d.length == 0 ? "" : d[0].replaceAll("\\.$", "").toLowerCase(Locale.ROOT);
    }

    /** {@code paddock start [--foreground] [--no-tray] [--load ID]}: the command, its options and parameters. */
    static String synopsis(CommandSpec spec) {
        StringBuilder s = new StringBuilder(spec.qualifiedName());
        for (OptionSpec o : spec.options()) {
            if (o.hidden() || o.usageHelp() || o.versionHelp()) continue;
            s.append(" [").append(o.longestName());
            if (!o.typeInfo().isBoolean()) s.append(' ').append(o.paramLabel());
            s.append(']');
        }
        for (PositionalParamSpec p : spec.positionalParameters()) {
            if (p.hidden()) continue;
            boolean optional = p.arity().min() == 0;
            s.append(' ').append(optional ? "[" : "").append(p.paramLabel()).append(multi(p) ? "…" : "");
            if (optional) s.append(']');
        }
        return s.toString();
    }

    private static boolean multi(ArgSpec a) {
        return a.arity().max() > 1;
    }

    /** Text made safe for troff: backslashes, a leading dot or quote, and option dashes. */
    static String text(String s) {
        String t = s.replace("\\", "\\e").replace("-", "\\-").replace("\"", "\\(dq");
        if (t.startsWith(".") || t.startsWith("'")) t = "\\&" + t;
        return t.replace("\n.", "\n\\&.");
    }
}
