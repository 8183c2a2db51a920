package dev.paddock.supervisor;

import java.util.List;

/** Signals for a server process and whatever it started. */
final class ProcessTree {
    private ProcessTree() {}

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
