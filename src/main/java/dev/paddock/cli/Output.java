package dev.paddock.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;

/** Exit codes and the error shapes every command shares. */
final class Output {
    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;
    static final int NOT_RUNNING = 3;
    static final ObjectMapper JSON = new ObjectMapper();

    private Output() {}

    /** {@code {"status":"error","error":"…","error_code":"…"}} with --json, else {@code paddock: …} on stderr. */
    static int error(boolean json, String code, String message, int exitCode) {
        if (json) {
            ObjectNode o = JSON.createObjectNode();
            o.put("status", "error");
            o.put("error", message);
            o.put("error_code", code);
            System.out.println(o);
        } else {
            PrintStream err = System.err;
            err.println("paddock: " + message);
        }
        return exitCode;
    }

    static int notRunning(boolean json, DaemonClient.NotRunning e) {
        return error(json, "not_running", e.getMessage(), NOT_RUNNING);
    }

    /** A failed JMX operation: its error code and message when it carries one. */
    static int failed(boolean json, RuntimeException e) {
        String[] coded = DaemonClient.codeAndMessage(e);
        if (coded == null) return error(json, "server_failed", String.valueOf(e.getMessage()), FAILED);
        return error(json, coded[0], coded[1], FAILED);
    }

    /** The config of {@code home}; null when it has problems, which are printed (the caller then exits 1). */
    static dev.paddock.config.Config configOrReport(dev.paddock.config.PaddockHome home) {
        try {
            return dev.paddock.config.ConfigLoader.load(home);
        } catch (dev.paddock.config.ConfigException e) {
            error(false, "invalid_config", "config.yaml has problems:\n" + e.getMessage(), FAILED);
            return null;
        }
    }
}
