package dev.paddock.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.paddock.config.PaddockHome;
import dev.paddock.jmx.StatusRow;
import dev.paddock.jmx.SupervisorMXBean;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code paddock status [--json] [--watch]}. */
@Command(name = "status", mixinStandardHelpOptions = true, description = "Show what Paddock is running.")
public final class StatusCommand implements Callable<Integer> {
    @Option(names = "--json", description = "Print one JSON object (with --watch: one per line, per change).")
    boolean json;

    @Option(names = "--watch", description = "Stay and redraw at every state change, until Ctrl-C or Paddock stops.")
    boolean watch;

    @Override
    public Integer call() {
        try (DaemonClient c = DaemonClient.connect(PaddockHome.fromEnvironment(System.getenv()), watch)) {
            if (!watch) {
                System.out.println(render(c.supervisor));
                return Output.OK;
            }
            BlockingQueue<Boolean> changes = new LinkedBlockingQueue<>(); // true: a transition; false: Paddock gone
            c.onStateChange(() -> changes.add(true), () -> changes.add(false));
            while (true) {
                String frame;
                try {
                    frame = render(c.supervisor);
                } catch (RuntimeException e) {
                    break; // the connection went away between the notification and the read
                }
                System.out.println(
                        json ? frame : Term.clearScreen() + frame + "\n" + Term.dim("watching; Ctrl-C to stop"));
                System.out.flush();
                if (!changes.take()) break;
                changes.clear(); // one redraw shows every change that arrived meanwhile
            }
            return Output.error(json, "not_running", "Paddock stopped", Output.NOT_RUNNING);
        } catch (DaemonClient.NotRunning e) {
            return Output.notRunning(json, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Output.OK;
        }
    }

    /** One read of the {@code Status} attribute: everything shown comes from the same moment. */
    private String render(SupervisorMXBean s) {
        StatusRow row = s.getStatus();
        if (json) return json(row.fields());
        StringBuilder b = new StringBuilder();
        row(b, "state", Term.state(row.getState()));
        String preset = row.getPreset();
        if (preset != null) {
            String change = row.getPresetChange();
            row(
                    b,
                    "preset",
                    Term.bold(preset)
                            + (change == null
                                    ? ""
                                    : "  "
                                            + Term.yellow("(file " + change + " since it was loaded; `paddock load "
                                                    + preset + "` applies it)")));
        }
        if (row.getModel() != null) row(b, "model", row.getModel());
        if (row.getEndpoint() != null) row(b, "endpoint", row.getEndpoint());
        if (row.getPid() >= 0) row(b, "pid", Long.toString(row.getPid()));
        if (row.getSwitching() != null)
            row(
                    b,
                    "next",
                    Term.yellow(row.getSwitching() + " (asked by " + row.getSwitchingOrigin()
                            + "; `paddock load --force` cuts them)"));
        if (row.getRequestsInFlight() > 0 || row.getQueued() > 0)
            row(b, "requests", row.getRequestsInFlight() + " in flight, " + row.getQueued() + " waiting");
        String idleAt = row.getIdleUnloadAt();
        if (idleAt != null)
            row(
                    b,
                    "unloads",
                    "at " + Term.since(idleAt, Instant.now()).replaceAll(" \\(.*", "") + " if no request comes (ttl)");
        row(b, "since", Term.since(row.getSince(), Instant.now()));
        if (row.getError() != null) row(b, "error", Term.red(row.getError()));
        if (row.getConfigProblem() != null)
            row(b, "config", Term.red("config.yaml was not applied:\n" + row.getConfigProblem()));
        if (row.getNeedsRestart().length > 0)
            row(b, "restart", Term.yellow("restart Paddock to apply " + String.join(", ", row.getNeedsRestart())));
        return b.substring(0, b.length() - 1);
    }

    private static void row(StringBuilder b, String label, String value) {
        b.append(String.format("%-9s ", label)).append(value).append('\n');
    }

    /**
     * The snapshot's fields as one JSON object, with jackson-core's generator, not an ObjectMapper: this command is
     * polled, and a mapper costs ~80 ms to make.
     */
    static String json(Map<String, Object> fields) {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(w)) {
            g.writeStartObject();
            for (Map.Entry<String, Object> e : fields.entrySet()) {
                Object v = e.getValue();
                if (v == null) g.writeNullField(e.getKey());
                else if (v instanceof Number n) g.writeNumberField(e.getKey(), n.longValue());
                else if (v instanceof List<?> l) {
                    g.writeArrayFieldStart(e.getKey());
                    for (Object x : l) g.writeString(String.valueOf(x));
                    g.writeEndArray();
                } else g.writeStringField(e.getKey(), v.toString());
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }
}
