package dev.paddock.cli;

import dev.paddock.config.PaddockHome;
import dev.paddock.core.LogFollower;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code paddock logs [--daemon] [-f] [-n N]}: reads the log files directly, so it works when Paddock is down. */
@Command(
        name = "logs",
        mixinStandardHelpOptions = true,
        description = "Print the end of llama.log (llama-server's output) or daemon.log, and follow it.")
public final class LogsCommand implements Callable<Integer> {
    @Option(names = "--daemon", description = "Paddock's own log instead of llama-server's.")
    boolean daemon;

    @Option(
            names = {"-f", "--follow"},
            description = "Keep printing new lines (across rotations) until Ctrl-C.")
    boolean follow;

    @Option(
            names = {"-n", "--lines"},
            paramLabel = "N",
            defaultValue = "40",
            description = "How many lines from the end to print first (default: ${DEFAULT-VALUE}).")
    int lines;

    @Override
    public Integer call() throws IOException {
        PaddockHome home = PaddockHome.fromEnvironment(System.getenv());
        Path file = daemon ? home.daemonLog() : home.llamaLog();
        if (!Files.exists(file) && !follow) {
            return Output.error(
                    false,
                    "not_found",
                    "no " + file.getFileName() + " yet in " + file.getParent()
                            + (daemon ? " (Paddock has not run)" : " (no llama-server has run)"),
                    Output.FAILED);
        }
        OutputStream out = new FileOutputStream(FileDescriptor.out);
        LogFollower f = new LogFollower(file, out);
        long offset = Files.exists(file) ? f.tail(lines) : 0;
        if (!follow) return Output.OK;
        try {
            f.follow(offset);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Output.OK;
    }
}
