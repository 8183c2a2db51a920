package dev.paddock.supervisor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Signals for a server process and whatever it started. */
final class ProcessTree {
    /** util-linux {@code setsid}, where there is one. */
    private static final Path SETSID = Files.isExecutable(Path.of("/usr/bin/setsid"))
            ? Path.of("/usr/bin/setsid")
            : Files.isExecutable(Path.of("/bin/setsid")) ? Path.of("/bin/setsid") : null;

    private ProcessTree() {}

    /**
     * The argv that starts {@code command} in a session of its own, so a terminal's Ctrl-C or hangup reaches
     * Paddock alone and Paddock stops the server in order. {@code setsid} execs in place (a child of the JVM is
     * never a process-group leader, so it does not fork): the pid is the server's. Unchanged where there is no
     * {@code setsid}.
     */
    static List<String> inOwnSession(List<String> command) {
        if (SETSID == null) return command;
        List<String> argv = new ArrayList<>(command.size() + 1);
        argv.add(SETSID.toString());
        argv.addAll(command);
        return argv;
    }

    /** SIGKILL to the process's descendants, then to the process: nothing of it may outlive the stop. */
    static void killForcibly(ProcessHandle process) {
        List<ProcessHandle> descendants = process.descendants().toList();
        descendants.forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    /** SIGKILL to processes remembered earlier that are still alive (orphans once their parent has exited). */
    static void killSurvivors(List<ProcessHandle> remembered) {
        for (ProcessHandle p : remembered) {
            if (p.isAlive()) p.destroyForcibly();
        }
    }
}
