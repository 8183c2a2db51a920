package dev.paddock.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.paddock.config.PaddockHome;
import dev.paddock.switchboard.Origin;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code paddock load ID [--json] [--dry-run]}: switches the running Paddock to a preset or model, shows progress
 * on stderr while it loads, and prints the endpoint once it runs.
 */
@Command(
        name = "load",
        mixinStandardHelpOptions = true,
        description = "Load a preset or model (stopping the one running, after the gateway's requests in flight).")
public final class LoadCommand implements Callable<Integer> {
    @Parameters(paramLabel = "ID", description = "p:PRESET, h:ORG/REPO[:QUANT], f:PATH, or a preset name")
    String id;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Option(names = "--dry-run", description = "Print the llama-server command line and environment; run nothing.")
    boolean dryRun;

    @Option(
            names = "--force",
            description = "Switch at once, cutting the gateway's requests in flight (each gets an error saying so)"
                    + " instead of waiting for them.")
    boolean force;

    @Override
    public Integer call() {
        String identifier = IdentifierArg.fromHere(id);
        if (dryRun) return DryRun.print(PaddockHome.fromEnvironment(System.getenv()), identifier, json);
        try (DaemonClient c = DaemonClient.connect(PaddockHome.fromEnvironment(System.getenv()))) {
            if (!json)
                DryRun.fitWarning(PaddockHome.fromEnvironment(System.getenv()), identifier)
                        .ifPresent(w -> System.err.println(Term.yellow("warning: " + w)));
            String endpoint;
            Duration took;
            try (LoadProgress progress = json ? null : new LoadProgress(c, System.err)) {
                endpoint = c.supervisor.load(identifier, force, Origin.CLI.label());
                took = progress == null ? null : progress.elapsed();
            } catch (RuntimeException e) {
                return Output.failed(json, e);
            }
            String preset = c.supervisor.getPreset();
            if (json) {
                ObjectNode o = Output.JSON.createObjectNode();
                o.put("status", "ok");
                o.put("preset", preset);
                o.put("endpoint", endpoint);
                System.out.println(o);
            } else {
                System.out.println(Term.bold(preset) + " " + Term.green("running") + " at " + endpoint);
                System.err.println(Term.dim("ready in " + Term.elapsed(took)));
            }
            return Output.OK;
        } catch (DaemonClient.NotRunning e) {
            return Output.notRunning(json, e);
        }
    }
}
