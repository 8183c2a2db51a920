package dev.paddock.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.paddock.app.Main;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs {@code paddock} as a user does: a new JVM per command, with {@code PADDOCK_HOME} pointing at a test home. */
public final class PaddockCli {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path home;
    private final Path scratch;
    private final List<String> jvmArgs;
    private final java.util.Map<String, String> env = new java.util.LinkedHashMap<>();

    /** @param scratch where the commands' output files go */
    public PaddockCli(Path home, Path scratch) {
        this(home, scratch, List.of());
    }

    private PaddockCli(Path home, Path scratch, List<String> jvmArgs) {
        this.home = home;
        this.scratch = scratch;
        this.jvmArgs = List.copyOf(jvmArgs);
    }

    /** Sets an environment variable for every command this runs. */
    public PaddockCli withEnv(String key, String value) {
        env.put(key, value);
        return this;
    }

    /** The same, with these JVM options (e.g. {@code -Djavax.net.ssl.trustStore=…}) on every command. */
    public PaddockCli withJvmArgs(String... args) {
        List<String> all = new ArrayList<>(jvmArgs);
        all.addAll(List.of(args));
        PaddockCli copy = new PaddockCli(home, scratch, all);
        copy.env.putAll(env);
        return copy;
    }

    public Path home() {
        return home;
    }

    /** A finished run. */
    public record Run(int exit, String out, String err) {
        public JsonNode json() throws IOException {
            return JSON.readTree(out);
        }
    }

    /** The command, not started, with this home in its environment. */
    public ProcessBuilder process(String... args) {
        List<String> cmd = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:TieredStopAtLevel=1"));
        cmd.addAll(jvmArgs);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("PADDOCK_HOME", home.toString());
        // the models other tools keep are found under HOME and these variables: a test sees only what it made
        pb.environment().put("HOME", scratch.resolve("user-home").toString());
        List.of("HF_HOME", "HF_HUB_CACHE", "HUGGINGFACE_HUB_CACHE", "LLAMA_CACHE", "OLLAMA_MODELS", "XDG_CACHE_HOME")
                .forEach(pb.environment()::remove);
        pb.environment().putAll(env);
        return pb;
    }

    /** Runs the command to its end (at most 90 s). */
    public Run run(String... args) throws IOException, InterruptedException {
        return run(process(args));
    }

    public Run run(ProcessBuilder pb) throws IOException, InterruptedException {
        Path out = Files.createTempFile(scratch, "out", ".txt");
        Path err = Files.createTempFile(scratch, "err", ".txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(90, TimeUnit.SECONDS))
                .as("paddock %s ended", pb.command())
                .isTrue();
        return new Run(
                p.exitValue(),
                Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    /**
     * {@code paddock start --foreground --no-tray}, its output in {@code scratch/daemon.out}, once it is ready (its
     * JMX address is published).
     */
    public Process startDaemon() throws IOException {
        Process daemon = process("start", "--foreground", "--no-tray")
                .redirectErrorStream(true)
                .redirectOutput(scratch.resolve("daemon.out").toFile())
                .start();
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(60))
                .until(() -> Files.exists(home.resolve("jmx.url")) || !daemon.isAlive());
        assertThat(daemon.isAlive()).as("the daemon started (see daemon.out)").isTrue();
        return daemon;
    }

    /**
     * Runs the command on a terminal (util-linux {@code script} gives it a pseudo-terminal) and returns what the
     * terminal showed. {@code env} is applied on top of this CLI's environment; a null value removes a variable.
     */
    public String onTerminal(java.util.Map<String, String> env, String... args)
            throws IOException, InterruptedException {
        return typedOnTerminal(env, "", args);
    }

    /**
     * The same, with {@code typed} typed ahead on the terminal: the command reads it a line at a time as it asks
     * (the terminal holds typed lines until they are read). Standard input stays open until the command ends.
     */
    public String typedOnTerminal(java.util.Map<String, String> env, String typed, String... args)
            throws IOException, InterruptedException {
        ProcessBuilder run = process(args);
        String command = run.command().stream()
                .map(a -> "'" + a.replace("'", "'\\''") + "'")
                .collect(java.util.stream.Collectors.joining(" "));
        ProcessBuilder pb =
                new ProcessBuilder("script", "-qfec", "exec " + command, "/dev/null").redirectErrorStream(true);
        pb.environment().putAll(run.environment());
        pb.environment().put("SHELL", "/bin/sh");
        env.forEach((k, v) -> {
            if (v == null) pb.environment().remove(k);
            else pb.environment().put(k, v);
        });
        Path out = Files.createTempFile(scratch, "terminal", ".txt");
        Process p = pb.redirectOutput(out.toFile())
                .redirectInput(ProcessBuilder.Redirect.PIPE)
                .start();
        try (var keys = p.getOutputStream()) {
            keys.write(typed.getBytes(StandardCharsets.UTF_8));
            keys.flush();
            boolean ended = p.waitFor(150, TimeUnit.SECONDS);
            if (!ended) { // the command under script first, then script
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
            assertThat(ended)
                    .as("paddock %s ended; the terminal showed:%n%s", java.util.List.of(args), Files.readString(out))
                    .isTrue();
        }
        return Files.readString(out, StandardCharsets.UTF_8);
    }
}
