package dev.paddock.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.paddock.config.PaddockHome;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code paddock ls [--json]}: the presets and downloaded models the running Paddock knows. */
@Command(name = "ls", mixinStandardHelpOptions = true, description = "List presets and downloaded models.")
public final class LsCommand implements Callable<Integer> {
    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Override
    public Integer call() {
        try (DaemonClient c = DaemonClient.connect(PaddockHome.fromEnvironment(System.getenv()))) {
            String[] presets = c.supervisor.listPresets();
            String[] models = c.supervisor.listModels();
            String running = "running".equals(c.supervisor.getState()) ? c.supervisor.getPreset() : null;
            if (json) {
                ObjectNode o = Output.JSON.createObjectNode();
                ArrayNode ps = o.putArray("presets");
                for (String p : presets) ps.addObject().put("name", p).put("loaded", p.equals(running));
                ArrayNode ms = o.putArray("models");
                for (String m : models) ms.add(m);
                System.out.println(o);
            } else {
                System.out.println(Term.bold("PRESETS"));
                if (presets.length == 0) System.out.println(Term.dim("  none yet: paddock new NAME --model ID"));
                for (String p : presets) {
                    System.out.println(p.equals(running) ? Term.green("* " + p) + "  running" : "  " + p);
                }
                System.out.println(Term.bold("MODELS"));
                if (models.length == 0) System.out.println(Term.dim("  none downloaded"));
                for (String m : models) System.out.println("  " + m);
            }
            return Output.OK;
        } catch (DaemonClient.NotRunning e) {
            return Output.notRunning(json, e);
        }
    }
}
