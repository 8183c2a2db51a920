package dev.paddock.cli;

import dev.paddock.config.ConfigDraft;
import dev.paddock.config.ConfigException;
import dev.paddock.config.PaddockHome;
import dev.paddock.core.PaddockException;
import dev.paddock.hub.ServerInstaller;
import dev.paddock.supervisor.ServerVersion;
import java.io.IOException;
import java.util.Locale;
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
    public Integer call() throws IOException {
        PaddockHome home = PaddockHome.fromEnvironment(System.getenv());
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String osKey = os.startsWith("mac") ? "mac" : os.startsWith("windows") ? "windows" : "linux";
        String b = backend != null ? backend : osKey.equals("mac") ? "metal" : ServerInstaller.detectBackend();
        String api = System.getenv().getOrDefault("PADDOCK_GITHUB_API", "https://api.github.com");
        ServerInstaller.Installed got;
        try {
            System.err.println("fetching llama.cpp " + (tag == null ? "(latest)" : tag) + ", " + b + " build…");
            got = new ServerInstaller(api)
                    .install(home.root().resolve("bin"), tag, b, osKey, System.getProperty("os.arch", "amd64"));
        } catch (PaddockException e) {
            return Output.error(false, e.code().wireName(), e.getMessage(), Output.FAILED);
        }
        ServerVersion.Result check = ServerVersion.check(got.server());
        if (!check.ok()) {
            return Output.error(
                    false,
                    "server_not_found",
                    got.server() + " was installed but does not run here: " + check.message() + " (try --backend cpu)",
                    Output.FAILED);
        }
        ConfigDraft draft = ConfigDraft.load(home);
        if (draft.loadProblem() != null) {
            return Output.error(
                    false,
                    "invalid_config",
                    got.server() + " is installed, but config.yaml was left alone: " + draft.loadProblem()
                            + "\nfix it, then set llama-server: " + got.server(),
                    Output.FAILED);
        }
        draft.set("llama-server", got.server().toString());
        try {
            draft.save();
        } catch (ConfigException e) {
            return Output.error(false, "invalid_config", "config.yaml has problems:\n" + e.getMessage(), Output.FAILED);
        }
        System.out.println("installed llama.cpp " + got.tag() + " (" + got.asset() + "): " + got.server());
        System.out.println(check.message());
        System.out.println("config.yaml now uses it; a running Paddock uses it from its next load");
        return Output.OK;
    }
}
