package dev.paddock.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.paddock.config.PaddockHome;
import dev.paddock.jmx.SupervisorMXBean;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
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

    private String render(SupervisorMXBean s) {
        String state = s.getState();
        String preset = s.getPreset();
        String model = s.getModel();
        String endpoint = s.getEndpoint();
        long pid = s.getServerPid();
        String since = s.getSince();
        String error = s.getLastError();
        if (json) return json(state, preset, model, endpoint, pid, since, error);
        StringBuilder b = new StringBuilder();
        row(b, "state", Term.state(state));
        if (preset != null) {
            String change = s.getPresetChange();
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
        if (model != null) row(b, "model", model);
        if (endpoint != null) row(b, "endpoint", endpoint);
        if (pid >= 0) row(b, "pid", Long.toString(pid));
        String idleAt = s.getIdleUnloadAt();
        if (idleAt != null)
            row(
                    b,
                    "unloads",
                    "at " + Term.since(idleAt, Instant.now()).replaceAll(" \\(.*", "") + " if no request comes (ttl)");
        row(b, "since", Term.since(since, Instant.now()));
        if (error != null) row(b, "error", Term.red(error));
        return b.substring(0, b.length() - 1);
    }

    private static void row(StringBuilder b, String label, String value) {
        b.append(String.format("%-9s ", label)).append(value).append('\n');
    }

    /** jackson-core's generator, not an ObjectMapper: this command is polled, and a mapper costs ~80 ms to make. */
    private static String json(
            String state, String preset, String model, String endpoint, long pid, String since, String error) {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(w)) {
            g.writeStartObject();
            g.writeStringField("state", state);
            g.writeStringField("preset", preset);
            g.writeStringField("model", model);
            g.writeStringField("endpoint", endpoint);
            if (pid < 0) g.writeNullField("pid");
            else g.writeNumberField("pid", pid);
            g.writeStringField("since", since);
            g.writeStringField("error", error);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }
}
