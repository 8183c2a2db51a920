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
            dev.paddock.jmx.ModelRow[] models = c.supervisor.listModelDetails();
            String running = "running".equals(c.supervisor.getState()) ? c.supervisor.getPreset() : null;
            if (json) {
                ObjectNode o = Output.JSON.createObjectNode();
                ArrayNode ps = o.putArray("presets");
                for (String p : presets) ps.addObject().put("name", p).put("loaded", p.equals(running));
                ArrayNode ms = o.putArray("models");
                for (var m : models) {
                    ObjectNode n = ms.addObject();
                    n.put("name", m.getName());
                    n.put("file", m.getFile());
                    n.put("architecture", m.getArchitecture());
                    n.put("parameters", m.getParameters());
                    n.put("quant", m.getQuant());
                    n.put("size", m.getSize());
                    n.put("context", m.getContext());
                    n.put("source", m.getSource());
                    if (m.getProjector() != null) n.put("projector", m.getProjector());
                    if (m.getProblem() != null) n.put("problem", m.getProblem());
                }
                System.out.println(o);
            } else {
                System.out.println(Term.bold("PRESETS"));
                if (presets.length == 0) System.out.println(Term.dim("  none yet: paddock new NAME --model ID"));
                for (String p : presets) {
                    System.out.println(p.equals(running) ? Term.green("* " + p) + "  running" : "  " + p);
                }
                System.out.println(Term.bold("MODELS"));
                if (models.length == 0) System.out.println(Term.dim("  none downloaded: paddock pull h:ORG/REPO"));
                int w = 4;
                for (var m : models) w = Math.max(w, (m.getName()).length());
                if (models.length > 0) {
                    System.out.println(Term.dim(String.format(
                            "  %-" + w + "s  %7s  %-8s  %9s  %8s  %s",
                            "NAME",
                            "PARAMS",
                            "QUANT",
                            "SIZE",
                            "CONTEXT",
                            "SOURCE")));
                }
                for (var m : models) {
                    long params = m.getParameters();
                    long ctx = m.getContext();
                    String problem = m.getProblem();
                    System.out.println(String.format(
                                    "  %-" + w + "s  %7s  %-8s  %9s  %8s  %s",
                                    m.getName(),
                                    params < 0 ? "?" : dev.paddock.model.GgufInfo.count(params),
                                    m.getQuant() == null ? "?" : m.getQuant(),
                                    Human.bytes(m.getSize()),
                                    ctx < 0 ? "?" : Long.toString(ctx),
                                    m.getSource())
                            + (problem == null ? "" : "  " + Term.red(problem)));
                }
            }
            return Output.OK;
        } catch (DaemonClient.NotRunning e) {
            return Output.notRunning(json, e);
        }
    }
}
