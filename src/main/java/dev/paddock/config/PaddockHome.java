package dev.paddock.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The folder every file Paddock touches derives from ({@code PADDOCK_HOME}, default {@code ~/.paddock}), so tests
 * and second instances can point elsewhere.
 */
public record PaddockHome(Path root) {
    public PaddockHome {
        if (root == null) throw new IllegalArgumentException("root is null");
        root = root.toAbsolutePath().normalize();
    }

    /** {@code PADDOCK_HOME} from the environment, else {@code ~/.paddock}. */
    public static PaddockHome fromEnvironment(Map<String, String> env) {
        String dir = env.get("PADDOCK_HOME");
        if (dir != null && !dir.isBlank()) return new PaddockHome(Paths2.expandHome(dir));
        return new PaddockHome(Path.of(System.getProperty("user.home"), ".paddock"));
    }

    public Path configFile() {
        return root.resolve("config.yaml");
    }

    public Path defaultPresetsDir() {
        return root.resolve("presets");
    }

    public Path defaultModelsDir() {
        return root.resolve("models");
    }

    public Path logsDir() {
        return root.resolve("logs");
    }

    public Path daemonLog() {
        return logsDir().resolve("daemon.log");
    }

    public Path llamaLog() {
        return logsDir().resolve("llama.log");
    }

    public Path pidFile() {
        return root.resolve("paddock.pid");
    }

    /** Held (OS file lock) by the one resident Paddock of this home. */
    public Path lockFile() {
        return root.resolve("paddock.lock");
    }

    /** What the resident app has running: pid, command line, preset; read at the next start to adopt or end it. */
    public Path serverRecord() {
        return root.resolve("server.json");
    }

    /**
     * The gateway's address and a key for this user's own commands, while Paddock runs (owner-only): {@code status}
     * reads the snapshot from it without starting a JMX client.
     */
    /** The FIFO every llama-server Paddock starts reads its commands from (POSIX). */
    public Path serverInput() {
        return root.resolve("server.stdin");
    }

    public Path gatewayUrlFile() {
        return root.resolve("gateway.url");
    }

    /** The JMX connector address of the running Paddock; the CLI connects through it. */
    public Path jmxUrlFile() {
        return root.resolve("jmx.url");
    }

    /**
     * Creates the home, its logs folder and the given extra folders, owner-only, if they are missing; a home that
     * other users can enter is closed to them.
     */
    public void ensureLayout(Path... more) throws IOException {
        createOwnerOnly(root);
        // everything under the home holds the user's keys, logs and models: closed to other users at its root
        AtomicFile.OwnerOnly.restrictDirectory(root);
        createOwnerOnly(logsDir());
        for (Path p : more) createOwnerOnly(p);
    }

    private static void createOwnerOnly(Path dir) throws IOException {
        if (Files.isDirectory(dir)) return;
        Files.createDirectories(dir);
        AtomicFile.OwnerOnly.restrictDirectory(dir);
    }

    /** Path spelling shared by config and presets. */
    public static final class Paths2 {
        private Paths2() {}

        /** Expands a leading {@code ~} or {@code ~/} to the user's home folder. */
        public static Path expandHome(String p) {
            if (p.equals("~")) return Path.of(System.getProperty("user.home"));
            if (p.startsWith("~/")) return Path.of(System.getProperty("user.home"), p.substring(2));
            return Path.of(p);
        }

        /** The executable file {@code name} in the first folder of {@code pathVariable} (PATH) that has one. */
        public static java.util.Optional<Path> onPath(String name, String pathVariable) {
            if (pathVariable == null) return java.util.Optional.empty();
            for (String dir : pathVariable.split(java.io.File.pathSeparator)) {
                if (dir.isEmpty()) continue;
                Path candidate = Path.of(dir, name);
                if (java.nio.file.Files.isRegularFile(candidate) && java.nio.file.Files.isExecutable(candidate)) {
                    return java.util.Optional.of(candidate.toAbsolutePath());
                }
            }
            return java.util.Optional.empty();
        }
    }
}
