package dev.paddock.app;

import dev.paddock.cli.PaddockCommand;
import dev.paddock.config.AtomicFile;
import dev.paddock.config.PaddockHome;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Optional;

/**
 * The build's class-data-sharing training run ({@code paddock --cds-training}, with {@code
 * -XX:ArchiveClassesAtExit}): starts a daemon in this JVM under {@code PADDOCK_HOME} (a scratch home the build
 * makes), runs the everyday CLI commands against it over JMX, and stops it. Every class those paths load goes into
 * the archive, so the next {@code paddock status} or {@code paddock start} skips loading and verifying them.
 */
public final class CdsTraining {
    public static final String FLAG = "--cds-training";

    private CdsTraining() {}

    public static int run() throws IOException {
        PaddockHome home = PaddockHome.fromEnvironment(System.getenv());
        Files.createDirectories(home.root());
        int port;
        int gateway;
        try (ServerSocket s = new ServerSocket(0);
                ServerSocket g = new ServerSocket(0)) {
            port = s.getLocalPort();
            gateway = g.getLocalPort();
        }
        // the gateway on: `status` reads the snapshot through it, and those classes go into the archive too
        AtomicFile.write(
                home.configFile(),
                ("jmx: {port: " + port + "}\ngateway: {port: " + gateway + "}\n").getBytes(StandardCharsets.UTF_8));
        Optional<Running> daemon = new Daemon(
                        home, new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8))
                .start(false);
        if (daemon.isEmpty()) return 1;
        int failures = 0;
        try {
            // --help builds the model of every command (a command line that names one builds that one alone)
            String[][] commands = {
                {"status"}, {"status", "--json"}, {"ls"}, {"ls", "--json"}, {"unload"}, {"version"}, {"--help"}
            };
            for (String[] c : commands) {
                if (PaddockCommand.executeQuietly(Main.RESIDENT, c) != 0) failures++;
            }
            // the error path, which fails by design
            PaddockCommand.executeQuietly(Main.RESIDENT, "load", "no-such-preset", "--json");
        } finally {
            daemon.get().stop();
        }
        return failures == 0 ? 0 : 1;
    }
}
