package dev.paddock.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.paddock.config.PaddockHome;
import dev.paddock.jmx.SupervisorMXBean;
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
                ObjectNode o = Output.JSON.createObjectNode();
                o.put("state", state);
                o.put("preset", s.getPreset());
                o.put("model", s.getModel());
                o.put("endpoint", s.getEndpoint());
                if (pid < 0) o.putNull("pid");
                else o.put("pid", pid);
                o.put("since", s.getSince());
                o.put("error", s.getLastError());
                System.out.println(o);
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
