package dev.paddock.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The one place tests find the real llama-server: {@code LLAMA_SERVER} if set, else the build that
 * {@code scripts/build-llama-server.sh} caches (which {@code mvn verify} runs before the tests).
 */
public final class LlamaServerBinary {
    private LlamaServerBinary() {}

    /** The binary; fails the calling test (never skips it) when there is none. */
    public static Path require() {
        String env = System.getenv("LLAMA_SERVER");
        Path p = env != null && !env.isBlank()
                ? Path.of(env)
                : Path.of(
                        System.getProperty("user.home"),
                        ".cache",
                        "paddock",
                        "llama-server-nlc-3.22.1",
                        "build",
                        "bin",
                        "llama-server");
        if (!Files.isExecutable(p)) {
            throw new AssertionError("this test needs a real llama-server and there is none at " + p
                    + ": run scripts/build-llama-server.sh (mvn verify does) or set LLAMA_SERVER");
        }
        return p;
    }
}
