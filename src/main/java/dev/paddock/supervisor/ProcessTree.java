package dev.paddock.supervisor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Signals for a server process and whatever it started, and whether a process still runs. */
public final class ProcessTree {
    /** util-linux {@code setsid}, where there is one. */
    private static final Path SETSID = Files.isExecutable(Path.of("/usr/bin/setsid"))
            ? Path.of("/usr/bin/setsid")
            : Files.isExecutable(Path.of("/bin/setsid")) ? Path.of("/bin/setsid") : null;

    /**
     * Whether a server's leftovers are found by its session once it has exited (Linux: it leads a session of its own
     * and {@code /proc} tells each process's session), rather than by remembering its descendants when it is asked
     * to stop: listing descendants scans the whole process table, a millisecond or more on a switch's critical path.
     */
    static final boolean SWEEPS_SESSIONS = SETSID != null && Files.isReadable(Path.of("/proc/self/stat"));

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

    /**
     * As {@link #inOwnSession}, with {@code stdin} (a FIFO) as the server's standard input, opened for reading and
     * writing by a shell that then execs: a FIFO the server itself holds open for writing never reaches its end, not
     * even when Paddock is killed. The pid stays the server's: the shell and {@code setsid} each exec in place.
     */
    static List<String> inOwnSession(List<String> command, Path stdin) {
        if (stdin == null) return inOwnSession(command);
        List<String> argv = new ArrayList<>(command.size() + 5);
        argv.addAll(List.of("/bin/sh", "-c", "exec \"$@\" <>\"$0\"", stdin.toString()));
        argv.addAll(inOwnSession(command));
        return argv;
    }

    /** Whether servers can be started through a {@link #spareShell}: where there are {@code setsid} and a POSIX shell. */
    static final boolean SPARE_SHELLS = SETSID != null && Files.isExecutable(Path.of("/bin/sh"));

    /**
     * The argv of a spare shell: in a session of its own, reading commands from its standard input (Paddock's pipe),
     * where {@link #execScript} later tells it to become a server (same pid); when that pipe ends (Paddock ended it,
     * or died) it exits. Started while nothing switches, it takes the execs of {@code setsid} and a shell (a few
     * milliseconds each on a slow machine) off the next switch.
     */
    static List<String> spareShell() {
        return List.of(SETSID.toString(), "/bin/sh", "-s", "paddock-spare");
    }

    /**
     * What makes a {@link #spareShell} exec {@code command} with {@code env} added to its environment and
     * {@code stdin} (a FIFO, opened for reading and writing, as {@link #inOwnSession(List, Path)} does) as its
     * input when there is one; empty when a variable's name is not one a shell can export as given (not a name, or
     * one the shell keeps for itself), or a word holds a NUL byte: the server then starts the usual way, whose
     * rules (and errors) are the JDK's.
     */
    static Optional<String> execScript(List<String> command, Map<String, String> env, Path stdin) {
        if (command.stream().anyMatch(w -> w.indexOf('\0') >= 0)
                || (stdin != null && stdin.toString().indexOf('\0') >= 0)) return Optional.empty();
        StringBuilder script = new StringBuilder();
        for (Map.Entry<String, String> e : env.entrySet()) {
            if (!e.getKey().matches("[A-Za-z_][A-Za-z0-9_]*")
                    || SHELL_OWN.contains(e.getKey())
                    || e.getValue().indexOf('\0') >= 0) return Optional.empty();
            script.append("export ")
                    .append(e.getKey())
                    .append('=')
                    .append(quoted(e.getValue()))
                    .append('\n');
        }
        script.append("exec");
        for (String word : command) script.append(' ').append(quoted(word));
        if (stdin != null) script.append(" <>").append(quoted(stdin.toString()));
        return Optional.of(script.append('\n').toString());
    }

    /**
     * Variables a shell (dash, or bash as {@code sh}) keeps for itself: read-only ones, whose export ends the script,
     * ones it computes, whose exported value would not be the one given, and the two that change how it reads the
     * script or finds the program ({@code IFS}, {@code PATH}: the JDK looks a program up in Paddock's own PATH).
     */
    private static final java.util.Set<String> SHELL_OWN = java.util.Set.of(
            "_",
            "PPID",
            "UID",
            "EUID",
            "SHELLOPTS",
            "BASHOPTS",
            "BASH_VERSINFO",
            "BASHPID",
            "RANDOM",
            "SRANDOM",
            "SECONDS",
            "LINENO",
            "EPOCHSECONDS",
            "EPOCHREALTIME",
            "HISTCMD",
            "BASH_COMMAND",
            "BASH_SUBSHELL",
            "BASH_ARGV0",
            "GROUPS",
            "FUNCNAME",
            "IFS",
            "PATH");

    /** {@code s} as one word to a POSIX shell: in single quotes, each single quote written as {@code '\''}. */
    static String quoted(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    /** SIGKILL to the process's descendants, then to the process: nothing of it may outlive the stop. */
    static void killForcibly(ProcessHandle process) {
        List<ProcessHandle> descendants = process.descendants().toList();
        descendants.forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    /**
     * SIGKILL to every process left in the session {@code leader} led, once it has exited: what it started and did
     * not take down with it. Pids are handed out cyclically, so the session id of a leader that has just exited is
     * not a new session's for a long while; should it be all the same (a process given the leader's pid has made a
     * session of its own: possible only once nothing of the old session is left), nothing is killed. Processes that
     * vanish during the scan are skipped.
     *
     * @return how many were killed
     */
    static int killSession(long leader) {
        // one buffer for every process's stat line, read and parsed as bytes: the scan reads the whole process
        // table, on a machine whose next server may be loading
        byte[] buf = new byte[STAT_BUFFER];
        if (leadsLiveSession(Long.toString(leader), buf)) return 0;
        String[] names = new java.io.File("/proc").list();
        if (names == null) return 0; // /proc unreadable now: nothing can be found
        int killed = 0;
        for (String name : names) {
            if (!isPid(name)) continue;
            long pid = Long.parseLong(name);
            if (pid != leader && sessionOf(name, buf) == leader) {
                if (ProcessHandle.of(pid).map(ProcessHandle::destroyForcibly).orElse(false)) killed++;
            }
        }
        return killed;
    }

    /** Room for a stat line up to its session field: the command name in it is at most 64 bytes. */
    private static final int STAT_BUFFER = 512;

    private static boolean isPid(String name) {
        if (name.isEmpty() || name.length() > 18) return false;
        for (int i = 0; i < name.length(); i++) {
            char ch = name.charAt(i);
            if (ch < '0' || ch > '9') return false;
        }
        return true;
    }

    /** The session id in {@code /proc/PID/stat}; -1 when the process is gone or the line is not one. */
    private static long sessionOf(String pid, byte[] buf) {
        int state = readStat(pid, buf);
        return state < 0 ? -1 : sessionField(buf, state);
    }

    /** Whether the process is alive (neither a zombie nor dead) and leads a session: its pid is its session id. */
    private static boolean leadsLiveSession(String pid, byte[] buf) {
        int state = readStat(pid, buf);
        if (state < 0 || !live(buf[state])) return false;
        return sessionField(buf, state) == Long.parseLong(pid);
    }

    /**
     * Reads {@code /proc/PID/stat} into {@code buf} and returns where its state is, the field after the command name
     * (which may hold spaces, parentheses and any bytes: the name ends at the line's last ')'); -1 when the process
     * is gone or the line is not one. The buffer's end is marked by a NUL.
     */
    private static int readStat(String pid, byte[] buf) {
        int n;
        try (java.io.FileInputStream in = new java.io.FileInputStream("/proc/" + pid + "/stat")) {
            n = in.read(buf, 0, buf.length - 1); // the kernel writes the line whole in one read of this size
        } catch (IOException e) {
            return -1; // gone meanwhile
        }
        if (n <= 0) return -1;
        buf[n] = 0;
        int i = n - 1;
        while (i >= 0 && buf[i] != ')') i--;
        return i < 0 || i + 2 >= n ? -1 : i + 2;
    }

    /** The session, the fourth field from the state (state, ppid, pgrp, session); -1 when there is none. */
    private static long sessionField(byte[] buf, int state) {
        int i = state;
        for (int spaces = 0; buf[i] != 0 && spaces < 3; i++) if (buf[i] == ' ') spaces++;
        long session = 0;
        int digits = 0;
        for (; buf[i] >= '0' && buf[i] <= '9'; i++, digits++) session = session * 10 + (buf[i] - '0');
        return digits == 0 ? -1 : session;
    }

    /**
     * Alive and not a zombie. {@link ProcessHandle#isAlive} counts a zombie as alive, and a process whose parent has
     * died stays one until whoever inherits it reaps it, which some containers' PID 1 never does.
     */
    public static boolean running(ProcessHandle p) {
        if (!p.isAlive()) return false;
        byte[] buf = new byte[STAT_BUFFER];
        int state = readStat(Long.toString(p.pid()), buf);
        return state < 0 || live(buf[state]); // no /proc here: trust isAlive
    }

    /** A state of {@code /proc/PID/stat} that is neither a zombie's nor a dead process's. */
    private static boolean live(byte state) {
        return state != 'Z' && state != 'X';
    }

    /** SIGKILL to processes remembered earlier that are still alive (orphans once their parent has exited). */
    static void killSurvivors(List<ProcessHandle> remembered) {
        for (ProcessHandle p : remembered) {
            if (p.isAlive()) p.destroyForcibly();
        }
    }
}
