package dev.paddock.supervisor;

import dev.paddock.config.PaddockHome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** {@code PADDOCK_HOME/paddock.pid}: which process is the resident Paddock, for people, scripts and the CLI. */
public final class PidFile {
    /** What Linux appends to {@code /proc/PID/exe} when the program's file is gone. */
    private static final String DELETED = " (deleted)";

    private PidFile() {}

    /** The pid written in the file, if there is one that parses. */
    public static Optional<Long> recorded(PaddockHome home) {
        try {
            return Optional.of(Long.parseLong(Files.readString(home.pidFile()).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * The recorded process, if it is alive and a Java process (so a pid reused by something else after a crash is
     * never taken for Paddock, nor signalled by {@code stop}). The instance lock, not this file, is what guarantees
     * one Paddock.
     */
    public static Optional<ProcessHandle> livePaddock(PaddockHome home) {
        return recorded(home)
                .flatMap(ProcessHandle::of)
                .filter(ProcessTree::running)
                .filter(p -> p.info().command().map(PidFile::sameKindOfProgram).orElse(true));
    }

    /**
     * A Java, or the same program as this one (the app image's own launcher runs Paddock under its name). A program
     * whose file was removed or replaced while it runs (a package upgraded or removed under a running Paddock) is
     * named with Linux's {@code " (deleted)"} after its path: it is still that program.
     */
    static boolean sameKindOfProgram(String command) {
        command = command.endsWith(DELETED) ? command.substring(0, command.length() - DELETED.length()) : command;
        if (command.endsWith("java")) return true;
        String self = ProcessHandle.current().info().command().orElse("");
        return !self.isEmpty()
                && Path.of(command).getFileName().equals(Path.of(self).getFileName());
    }
}
