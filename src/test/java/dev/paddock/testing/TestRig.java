package dev.paddock.testing;

import dev.paddock.config.Config;
import dev.paddock.config.PaddockHome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

/** Shared test fixtures: temp homes, tiny models, the fake server's launcher script, free ports. */
public final class TestRig {
    private TestRig() {}

    /** A launcher script for {@link FakeLlamaServer}, run by this JVM's java with this test classpath. */
    public static Path fakeServerScript(Path dir) throws IOException {
        Path script = dir.resolve("fake-llama-server");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String body = "#!/bin/sh\n"
                + "case \" $* \" in *\" --fake-ignore-sigterm \"*) trap '' TERM ;; esac\n"
                + "exec '" + java + "' -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx64m -cp '"
                + System.getProperty("java.class.path") + "' " + FakeLlamaServer.class.getName() + " \"$@\"\n";
        Files.writeString(script, body, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    /** A tiny real model at {@code dir/NAME.gguf}. */
    public static Path tinyModel(Path dir, String name, long seed) {
        try {
            return TinyGguf.write(dir.resolve(name + ".gguf"), name, seed);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Whether the process still runs. Unlike {@link ProcessHandle#isAlive()}, a killed process that is waiting to
     * be reaped (a zombie: its parent died and PID 1 has not collected it yet) counts as gone.
     */
    public static boolean isRunning(ProcessHandle p) {
        return dev.paddock.supervisor.ProcessTree.running(p);
    }

    /** A free port outside the range the OS hands out for outgoing connections (as Paddock's own port: auto). */
    public static int freePort() {
        try {
            return dev.paddock.supervisor.PortCheck.freePort("127.0.0.1");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Config defaults for {@code home} with the given binary and a short stop grace. */
    public static Config config(PaddockHome home, Path llamaServer, Duration stopTimeout) {
        Config d = Config.defaults(home);
        return new Config(
                llamaServer,
                d.modelsDir(),
                d.presetsDir(),
                d.host(),
                d.port(),
                Duration.ofSeconds(60),
                stopTimeout,
                null,
                d.logMaxSize(),
                d.logMaxFiles(),
                d.jmx(),
                d.gateway(),
                d.theme(),
                d.extraModelDirs(),
                d.drainTimeout(),
                d.logLevel(),
                Config.ModelSources.NONE);
    }

    /** {@code c} with another {@code drain-timeout}. */
    public static Config withDrainTimeout(Config c, Duration drain) {
        return new Config(
                c.llamaServer(),
                c.modelsDir(),
                c.presetsDir(),
                c.host(),
                c.port(),
                c.healthTimeout(),
                c.stopTimeout(),
                c.defaultPreset(),
                c.logMaxSize(),
                c.logMaxFiles(),
                c.jmx(),
                c.gateway(),
                c.theme(),
                c.extraModelDirs(),
                drain,
                c.logLevel(),
                c.modelSources());
    }

    /** {@code c} with another {@code gateway.queue}. */
    public static Config withQueue(Config c, int queue) {
        Config.Gateway g = c.gateway();
        return new Config(
                c.llamaServer(),
                c.modelsDir(),
                c.presetsDir(),
                c.host(),
                c.port(),
                c.healthTimeout(),
                c.stopTimeout(),
                c.defaultPreset(),
                c.logMaxSize(),
                c.logMaxFiles(),
                c.jmx(),
                new Config.Gateway(g.port(), g.host(), g.apiKeys(), g.maxBody(), queue, g.ollamaPort()),
                c.theme(),
                c.extraModelDirs(),
                c.drainTimeout(),
                c.logLevel(),
                c.modelSources());
    }
}
