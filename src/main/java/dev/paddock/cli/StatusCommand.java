package dev.paddock.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.paddock.config.PaddockHome;
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

    /**
     * {@code status} or {@code status --json}, which scripts and status bars call in loops, without picocli: its
     * model of every command is half of their start-up, and its classes (built for Java 5) are never in the
     * class-data archive. Empty for any other command line.
     */
    public static java.util.OptionalInt runPlain(String... args) {
        if (args.length < 1 || args.length > 2 || !args[0].equals("status")) return java.util.OptionalInt.empty();
        boolean json = args.length == 2 && args[1].equals("--json");
        if (args.length == 2 && !json) return java.util.OptionalInt.empty();
        StatusCommand status = new StatusCommand();
        status.json = json;
        return java.util.OptionalInt.of(status.call());
    }

    @Override
    public Integer call() {
        PaddockHome home = PaddockHome.fromEnvironment(System.getenv());
        if (!watch) {
            var fromGateway = GatewayStatus.read(home); // the same snapshot, without starting a JMX client
            if (fromGateway.isPresent()) {
                System.out.println(render(fromGateway.get()));
                return Output.OK;
            }
        }
        try (DaemonClient c = DaemonClient.connect(home, watch)) {
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
        return render(s.getStatus().fields());
    }

    /** The snapshot's fields (as {@code status --json} prints them), for a person or as one JSON object. */
    private String render(Map<String, Object> f) {
        if (json) return json(f);
        StringBuilder b = new StringBuilder();
        row(b, "state", Term.state(str(f, "state")));
        String preset = str(f, "preset");
        if (preset != null) {
            String change = str(f, "preset_change");
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
        if (str(f, "model") != null) row(b, "model", str(f, "model"));
        if (str(f, "endpoint") != null) row(b, "endpoint", str(f, "endpoint"));
        if (f.get("pid") != null) row(b, "pid", str(f, "pid"));
        if (f.get("load_progress") instanceof Number p)
            row(b, "loaded", LoadProgress.bar(p.doubleValue()) + " " + (int) Math.floor(p.doubleValue() * 100) + "%");
        if (str(f, "switching") != null)
            row(
                    b,
                    "next",
                    Term.yellow(str(f, "switching") + " (asked by " + str(f, "switching_origin")
                            + "; `paddock load --force` cuts them)"));
        long flying = number(f, "requests_in_flight");
        long queued = number(f, "queued");
        if (flying > 0 || queued > 0) row(b, "requests", flying + " in flight, " + queued + " waiting");
        String idleAt = str(f, "idle_unload_at");
        if (idleAt != null)
            row(
                    b,
                    "unloads",
                    "at " + Term.since(idleAt, Instant.now()).replaceAll(" \\(.*", "") + " if no request comes (ttl)");
        row(b, "since", Term.since(str(f, "since"), Instant.now()));
        if (str(f, "error") != null) row(b, "error", Term.red(str(f, "error")));
        if (str(f, "config_problem") != null)
            row(b, "config", Term.red("config.yaml was not applied:\n" + str(f, "config_problem")));
        if (f.get("needs_restart") instanceof List<?> restart && !restart.isEmpty())
            row(
                    b,
                    "restart",
                    Term.yellow("restart Paddock to apply "
                            + String.join(
                                    ", ", restart.stream().map(String::valueOf).toList())));
        return b.substring(0, b.length() - 1);
    }

    private static String str(Map<String, Object> f, String key) {
        Object v = f.get(key);
        return v == null ? null : v.toString();
    }

    private static long number(Map<String, Object> f, String key) {
        return f.get(key) instanceof Number n ? n.longValue() : 0;
    }

    private static void row(StringBuilder b, String label, String value) {
        b.append(label)
                .append(" ".repeat(Math.max(1, 10 - label.length())))
                .append(value)
                .append('\n');
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
                else if (v instanceof Double || v instanceof Float)
                    g.writeNumberField(e.getKey(), ((Number) v).doubleValue());
                else if (v instanceof Number n) g.writeNumberField(e.getKey(), n.longValue());
                else if (v instanceof Boolean bool) g.writeBooleanField(e.getKey(), bool);
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
