package dev.paddock.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What Linux's {@code /proc} says of a process, for tests that check sessions, groups and arguments. */
public final class ProcFs {
    private ProcFs() {}

    /** The process group ({@code /proc/PID/stat}, field 5); -1 when the process is gone. */
    public static long groupOf(long pid) {
        return statField(pid, 2);
    }

    /** The session ({@code /proc/PID/stat}, field 6); -1 when the process is gone. */
    public static long sessionOf(long pid) {
        return statField(pid, 3);
    }

    /** The process's arguments ({@code /proc/PID/cmdline}); empty when it is gone. */
    public static List<String> argv(long pid) {
        return entries(pid, "cmdline");
    }

    /**
     * The supervisor's spare shells among this JVM's children: those that have become the shell (before that each is
     * still the launcher that starts it) with their process group set.
     */
    public static List<ProcessHandle> spareShells() {
        return ProcessHandle.current()
                .children()
                .filter(ProcessHandle::isAlive)
                .filter(p -> argv(p.pid()).equals(List.of("/bin/sh", "-s", "paddock-spare")))
                .filter(p -> groupOf(p.pid()) == p.pid())
                .toList();
    }

    /** The names of the process's environment variables ({@code /proc/PID/environ}); empty when it is gone. */
    public static List<String> environmentNames(long pid) {
        return entries(pid, "environ").stream()
                .map(v -> v.substring(0, Math.max(0, v.indexOf('='))))
                .toList();
    }

    /** The NUL-separated entries of {@code /proc/PID/FILE}; empty when the process is gone. */
    private static List<String> entries(long pid, String file) {
        try {
            String text = Files.readString(Path.of("/proc", Long.toString(pid), file));
            return text.isEmpty() ? List.of() : List.of(text.split("\0"));
        } catch (IOException gone) {
            return List.of();
        }
    }

    /** A numeric field of {@code /proc/PID/stat}, counted from the one after the command's name; -1 when gone. */
    private static long statField(long pid, int index) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[index]);
        } catch (IOException gone) {
            return -1;
        }
    }
}
