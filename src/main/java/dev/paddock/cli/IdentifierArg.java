package dev.paddock.cli;

import dev.paddock.config.PaddockHome;

/** An identifier typed on the command line, made independent of the directory the command ran in. */
final class IdentifierArg {
    private IdentifierArg() {}

    /**
     * {@code f:PATH} becomes an absolute path ({@code ~} expanded, relative paths taken from the current directory),
     * since the daemon resolving it has its own working directory; other identifiers are returned as typed.
     */
    static String fromHere(String id) {
        if (!id.startsWith("f:") || id.length() == 2) return id;
        return "f:"
                + PaddockHome.Paths2.expandHome(id.substring(2))
                        .toAbsolutePath()
                        .normalize();
    }
}
