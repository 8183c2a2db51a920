package dev.paddock.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The llama.cpp source tree the tests' llama-server is built from ({@code scripts/build-llama-server.sh} clones it
 * from the npm package node-llama-cpp into its cache): the publisher's own definitions (release workflow, file
 * types, server protocol) that fixtures are built from.
 */
public final class LlamaCppSource {
    private LlamaCppSource() {}

    /** The source root; fails the calling test (never skips it) when the build has not run. */
    public static Path root() {
        String cache = System.getenv("PADDOCK_BUILD_CACHE");
        Path base = cache != null && !cache.isBlank()
                ? Path.of(cache)
                : Path.of(System.getProperty("user.home"), ".cache", "paddock");
        Path root = base.resolve("llama-server-nlc-3.22.1");
        if (!Files.isRegularFile(root.resolve("include/llama.h"))) {
            throw new AssertionError("this test reads llama.cpp's source and there is none at " + root
                    + ": run scripts/build-llama-server.sh (mvn verify does)");
        }
        return root;
    }

    public static Path file(String relative) {
        return root().resolve(relative);
    }
}
