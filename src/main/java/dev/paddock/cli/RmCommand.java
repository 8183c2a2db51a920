package dev.paddock.cli;

import dev.paddock.config.Config;
import dev.paddock.config.PaddockHome;
import dev.paddock.model.HubRef;
import dev.paddock.model.LocalModel;
import dev.paddock.model.ModelStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code paddock rm ID}: deletes a downloaded model (every part of a split one) and its metadata entry. Refuses the
 * model Paddock is running; asks first on a terminal unless {@code --yes}.
 */
@Command(name = "rm", mixinStandardHelpOptions = true, description = "Delete a downloaded model.")
public final class RmCommand implements Callable<Integer> {
    @Parameters(paramLabel = "ID", description = "h:ORG/REPO[:QUANT], or ORG/REPO/FILE.gguf as ls shows it")
    String id;

    @Option(
            names = {"-y", "--yes"},
            description = "Do not ask.")
    boolean yes;

    @Override
    public Integer call() throws IOException {
        PaddockHome home = PaddockHome.fromEnvironment(System.getenv());
        Config config = Output.configOrReport(home);
        if (config == null) return Output.FAILED;
        ModelStore store = ModelStore.of(config, System.getenv());
        LocalModel m = find(store);
        if (m == null && !id.endsWith(".gguf")) {
            try {
                HubRef.parse(id.startsWith("h:") ? id.substring(2) : id);
            } catch (IllegalArgumentException e) {
                return Output.error(
                        false,
                        "invalid_identifier",
                        "cannot use '" + id + "': " + e.getMessage()
                                + "; name it as h:ORG/REPO[:QUANT] or as `paddock ls` shows it",
                        Output.FAILED);
            }
        }
        if (m == null) {
            return Output.error(
                    false,
                    "model_not_found",
                    "no downloaded model '" + id + "'; `paddock ls` lists them",
                    Output.FAILED);
        }
        if (!m.isDownloaded()) {
            String owner = m.source().owner();
            return Output.error(
                    false,
                    "model_not_found",
                    owner == null
                            ? m.file()
                                    + " is one of your own files (model-dirs in config.yaml); Paddock leaves it alone"
                            : m.displayName() + " (" + m.file() + ") belongs to " + owner
                                    + "; Paddock uses it in place and never deletes it",
                    Output.FAILED);
        }
        try (DaemonClient c = DaemonClient.connect(home)) {
            String running = c.supervisor.getModel();
            if (running != null && Path.of(running).equals(m.file())) {
                return Output.error(
                        false,
                        "server_failed",
                        m.displayName() + " is the model Paddock is running; `paddock unload` first",
                        Output.FAILED);
            }
        } catch (DaemonClient.NotRunning e) {
            // nothing runs it
        }
        List<Path> parts = ModelStore.parts(m.file());
        long bytes = 0;
        for (Path p : parts) bytes += Files.size(p);
        if (!yes && System.console() != null) {
            String answer = System.console()
                    .readLine("Delete %s (%d file(s), %.1f GB)? [y/N] ", m.displayName(), parts.size(), bytes / 1e9);
            if (answer == null
                    || !answer.trim().toLowerCase(java.util.Locale.ROOT).startsWith("y")) {
                System.out.println("kept");
                return Output.OK;
            }
        }
        store.remove(m);
        System.out.printf("deleted %s (%.1f GB freed)%n", m.displayName(), bytes / 1e9);
        return Output.OK;
    }

    private LocalModel find(ModelStore store) {
        if (id.startsWith("o:")) {
            try {
                return store.findOllama(dev.paddock.model.OllamaRef.parse(id.substring(2))
                                .toString())
                        .orElse(null);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        String text = id.startsWith("h:") ? id.substring(2) : id;
        for (LocalModel m : store.list()) {
            if (m.displayName().equals(text) || m.displayName().equals("o:" + text)) return m;
        }
        try {
            return store.find(HubRef.parse(text)).orElse(null);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
