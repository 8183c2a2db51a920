package dev.paddock.cli;

import dev.paddock.config.Config;
import dev.paddock.config.PaddockHome;
import dev.paddock.core.PaddockException;
import dev.paddock.hub.HubClient;
import dev.paddock.hub.HubSettings;
import dev.paddock.hub.Puller;
import dev.paddock.model.HubRef;
import dev.paddock.model.LocalModel;
import dev.paddock.model.ModelStore;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code paddock pull h:ORG/REPO[:QUANT]} or {@code o:NAME[:TAG]}: downloads a model from Hugging Face or Ollama's
 * registry into the models folder, with a progress bar on a terminal. Ctrl-C keeps what arrived; the next pull
 * resumes from there.
 */
@Command(
        name = "pull",
        mixinStandardHelpOptions = true,
        description = "Download a GGUF model from Hugging Face or Ollama's registry (resumes an interrupted download).")
public final class PullCommand implements Callable<Integer> {
    @Parameters(paramLabel = "ID", description = "h:ORG/REPO[:QUANT] (the h: may be left out) or o:NAME[:TAG]")
    String id;

    @Override
    public Integer call() {
        if (id.startsWith("o:")) return pullOllama();
        String text = id.startsWith("h:") ? id.substring(2) : id;
        HubRef ref;
        try {
            ref = HubRef.parse(text);
        } catch (IllegalArgumentException e) {
            return Output.error(false, "invalid_identifier", e.getMessage(), Output.USAGE);
        }
        PaddockHome home = PaddockHome.fromEnvironment(System.getenv());
        Config config = Output.configOrReport(home);
        if (config == null) return Output.FAILED;
        ProgressBar bar = new ProgressBar(System.err);
        ModelStore store = ModelStore.of(config, System.getenv());
        var elsewhere = store.find(ref).filter(m -> !m.isDownloaded());
        if (elsewhere.isPresent()) {
            System.out.println("h:" + ref + " is already on this machine, as "
                    + elsewhere.get().displayName() + " (" + elsewhere.get().file() + "); Paddock uses it in place");
            return Output.OK;
        }
        Puller puller = new Puller(
                new HubClient(HubSettings.fromEnvironment(System.getenv())), store, bar, Puller.FreeSpace.REAL);
        try {
            LocalModel m = puller.pull(ref);
            bar.finish();
            System.out.println("pulled " + m.displayName() + " (" + m.file() + ")");
            System.out.println("load it with: paddock load h:" + ref.org() + "/" + ref.repo()
                    + (m.quant() == null ? "" : ":" + m.quant()));
            return Output.OK;
        } catch (PaddockException e) {
            bar.finish();
            return Output.error(false, e.code().wireName(), e.getMessage(), Output.FAILED);
        }
    }

    private Integer pullOllama() {
        dev.paddock.model.OllamaRef ref;
        try {
            ref = dev.paddock.model.OllamaRef.parse(id.substring(2));
        } catch (IllegalArgumentException e) {
            return Output.error(false, "invalid_identifier", e.getMessage(), Output.USAGE);
        }
        PaddockHome home = PaddockHome.fromEnvironment(System.getenv());
        Config config = Output.configOrReport(home);
        if (config == null) return Output.FAILED;
        ProgressBar bar = new ProgressBar(System.err);
        Puller puller = new Puller(
                new HubClient(HubSettings.fromEnvironment(System.getenv())),
                ModelStore.of(config, System.getenv()),
                bar,
                Puller.FreeSpace.REAL);
        try {
            LocalModel m = puller.fetch(ref); // one Ollama already has is used where it is, never copied
            bar.finish();
            if (m.source() == LocalModel.Source.OLLAMA) {
                System.out.println("o:" + ref + " is already on this machine, in Ollama's store (" + m.file()
                        + "); Paddock uses it in place");
            } else {
                System.out.println("pulled o:" + ref + " (" + m.file() + ")");
            }
            System.out.println("load it with: paddock load o:" + ref);
            return Output.OK;
        } catch (PaddockException e) {
            bar.finish();
            return Output.error(false, e.code().wireName(), e.getMessage(), Output.FAILED);
        }
    }

    /** Bytes, speed and time left, redrawn in place on a terminal; a line per 10% elsewhere. */
    static final class ProgressBar implements Puller.Progress {
        private final java.io.PrintStream err;
        private final long started = System.nanoTime();
        private long lastDraw;
        private int lastTenth = -1;
        private boolean drew;

        ProgressBar(java.io.PrintStream err) {
            this.err = err;
        }

        @Override
        public synchronized void update(String file, long done, long total) {
            long now = System.nanoTime();
            double secs = Math.max(0.001, (now - started) / 1e9);
            double speed = done / secs;
            if (Term.ANSI) {
                if (now - lastDraw < 100_000_000L && done < total) return;
                lastDraw = now;
                int width = 24;
                int filled = total <= 0 ? 0 : (int) (width * done / total);
                String eta = speed <= 0 || total <= 0
                        ? "?"
                        : Term.elapsed(java.time.Duration.ofMillis((long) ((total - done) / speed * 1000)));
                err.print("\r\033[K" + file + " [" + "#".repeat(filled) + " ".repeat(width - filled) + "] " + mb(done)
                        + "/" + mb(total) + "  " + mb((long) speed) + "/s  " + eta + " left");
                drew = true;
            } else {
                int tenth = total <= 0 ? 0 : (int) (10 * done / total);
                if (tenth == lastTenth) return;
                lastTenth = tenth;
                err.println(file + ": " + mb(done) + " of " + mb(total) + " (" + tenth * 10 + "%)");
            }
        }

        synchronized void finish() {
            if (drew) err.println();
        }

        private static String mb(long bytes) {
            return String.format(java.util.Locale.ROOT, "%.1f MB", bytes / 1e6);
        }
    }
}
