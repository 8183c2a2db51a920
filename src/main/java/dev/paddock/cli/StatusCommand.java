package dev.paddock.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.paddock.config.PaddockHome;
import dev.paddock.jmx.SupervisorMXBean;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code paddock status [--json]}. */
@Command(name = "status", mixinStandardHelpOptions = true, description = "Show what Paddock is running.")
public final class StatusCommand implements Callable<Integer> {
    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Override
    public Integer call() {
        try (DaemonClient c = DaemonClient.connect(PaddockHome.fromEnvironment(System.getenv()))) {
            SupervisorMXBean s = c.supervisor;
            String state = s.getState();
            long pid = s.getServerPid();
            if (json) {
                // jackson-core's generator, not an ObjectMapper: this command is polled, and the mapper costs ~80 ms
                StringWriter w = new StringWriter();
                try (JsonGenerator g = new JsonFactory().createGenerator(w)) {
                    g.writeStartObject();
                    g.writeStringField("state", state);
                    g.writeStringField("preset", s.getPreset());
                    g.writeStringField("model", s.getModel());
                    g.writeStringField("endpoint", s.getEndpoint());
                    if (pid < 0) g.writeNullField("pid");
                    else g.writeNumberField("pid", pid);
                    g.writeStringField("since", s.getSince());
                    g.writeStringField("error", s.getLastError());
                    g.writeEndObject();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                System.out.println(w);
            } else {
                System.out.println("state     " + state);
                if (s.getPreset() != null) System.out.println("preset    " + s.getPreset());
                if (s.getModel() != null) System.out.println("model     " + s.getModel());
                if (s.getEndpoint() != null) System.out.println("endpoint  " + s.getEndpoint());
                if (pid >= 0) System.out.println("pid       " + pid);
                System.out.println("since     " + s.getSince());
                if (s.getLastError() != null) System.out.println("error     " + s.getLastError());
            }
            return Output.OK;
        } catch (DaemonClient.NotRunning e) {
            return Output.notRunning(json, e);
        }
    }
}
