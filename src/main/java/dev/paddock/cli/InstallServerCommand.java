package dev.paddock.cli;

import dev.paddock.config.PaddockHome;
import dev.paddock.hub.Puller;
import dev.paddock.hub.ServerSetup;
import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code paddock install-server [--version TAG] [--backend cpu|cuda|vulkan]}: fetches llama.cpp's release build into
 * {@code PADDOCK_HOME/bin}, checks it runs, and points {@code config.yaml} at it.
 */
@Command(
        name = "install-server",
        mixinStandardHelpOptions = true,
        description = "Download llama.cpp's llama-server for this machine and use it.")
public final class InstallServerCommand implements Callable<Integer> {
    @Option(names = "--version", paramLabel = "TAG", description = "A release tag (e.g. b4567); default: the latest.")
    String tag;

    @Option(names = "--backend", description = "cpu, cuda or vulkan; default: what this machine has.")
    String backend;

    @Override
    public Integer call() {
        PaddockHome home = PaddockHome.fromEnvironment(System.getenv());
        return install(home, System.getenv(), tag, backend) ? Output.OK : Output.FAILED;
    }

    /**
     * Installs, saying on stderr what is fetched (with the download's progress on a terminal) and on stdout what
     * was installed; a failure is reported as the CLI reports errors. Also the answer to {@code run}'s offer.
     */
    static boolean install(PaddockHome home, Map<String, String> env, String tag, String backend) {
        PrintStream err = System.err;
        err.println("fetching llama.cpp " + (tag == null ? "(latest)" : tag) + ", "
                + (backend != null ? backend : ServerSetup.defaultBackend()) + " build…");
        // the bar pulls draw (bytes, speed, time left), on a terminal only
        PullCommand.ProgressBar bar = Term.TTY ? new PullCommand.ProgressBar(err) : null;
        ServerSetup.Done done;
        try {
            done = ServerSetup.install(home, env, tag, backend, bar != null ? bar : Puller.Progress.NONE);
        } catch (ServerSetup.Failed e) {
            if (bar != null) bar.finish();
            Output.error(false, e.code(), e.getMessage(), Output.FAILED);
            return false;
        }
        if (bar != null) bar.finish();
        var got = done.installed();
        System.out.println("installed llama.cpp " + got.tag() + " (" + got.asset() + "): " + got.server());
        System.out.println(done.version());
        System.out.println("config.yaml now uses it; a running Paddock uses it from its next load");
        return true;
    }
}
