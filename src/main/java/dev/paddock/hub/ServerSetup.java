package dev.paddock.hub;

import dev.paddock.config.ConfigDraft;
import dev.paddock.config.ConfigException;
import dev.paddock.config.PaddockHome;
import dev.paddock.core.PaddockException;
import dev.paddock.supervisor.ServerVersion;
import java.io.IOException;
import java.util.Locale;
import java.util.Map;

/**
 * llama.cpp's release build installed for this machine, checked to run here, and named in {@code config.yaml}: what
 * {@code paddock install-server}, the offer {@code paddock run} makes on a first run and the tray's "Install
 * llama-server…" all do. A running Paddock takes the new {@code llama-server:} at its next load.
 */
public final class ServerSetup {
    /** What was installed and the version it reports. */
    public record Done(ServerInstaller.Installed installed, String version) {}

    /** Why the setup stopped: a wire code ({@code server_not_found}, {@code download_failed}, {@code invalid_config}). */
    public static final class Failed extends Exception {
        private static final long serialVersionUID = 1L;
        private final String code;

        Failed(String code, String message) {
            super(message);
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    private ServerSetup() {}

    /** {@code linux}, {@code mac} or {@code windows}, as release asset names have them. */
    public static String os() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        return os.startsWith("mac") ? "mac" : os.startsWith("windows") ? "windows" : "linux";
    }

    /** The backend fetched when none is asked for: Metal on a Mac, else what {@link ServerInstaller#detectBackend} finds. */
    public static String defaultBackend() {
        return os().equals("mac") ? "metal" : ServerInstaller.detectBackend();
    }

    /**
     * Installs into {@code PADDOCK_HOME/bin} from the release API in {@code env}'s {@code PADDOCK_GITHUB_API}
     * (default GitHub's), checks it runs and saves {@code llama-server:} in config.yaml.
     *
     * @param tag a release tag, or null for the latest
     * @param backend cpu, cuda, vulkan or metal; null for {@link #defaultBackend()}
     */
    public static Done install(
            PaddockHome home, Map<String, String> env, String tag, String backend, Puller.Progress progress)
            throws Failed {
        String b = backend != null ? backend : defaultBackend();
        String api = env.getOrDefault("PADDOCK_GITHUB_API", "https://api.github.com");
        ServerInstaller.Installed got;
        try {
            got = new ServerInstaller(api)
                    .install(
                            home.root().resolve("bin"), tag, b, os(), System.getProperty("os.arch", "amd64"), progress);
        } catch (PaddockException e) {
            throw new Failed(e.code().wireName(), e.getMessage());
        }
        ServerVersion.Result check = ServerVersion.check(got.server());
        if (!check.ok()) {
            throw new Failed(
                    "server_not_found",
                    got.server() + " was installed but does not run here: " + check.message()
                            + " (try `paddock install-server --backend cpu`)");
        }
        ConfigDraft draft = ConfigDraft.load(home);
        if (draft.loadProblem() != null) {
            throw new Failed(
                    "invalid_config",
                    got.server() + " is installed, but config.yaml was left alone: " + draft.loadProblem()
                            + "\nfix it, then set llama-server: " + got.server());
        }
        draft.set("llama-server", got.server().toString());
        try {
            draft.save();
        } catch (ConfigException e) {
            throw new Failed("invalid_config", "config.yaml has problems:\n" + e.getMessage());
        } catch (IOException e) {
            throw new Failed(
                    "invalid_config",
                    got.server() + " is installed, but config.yaml could not be saved: " + e.getMessage());
        }
        return new Done(got, check.message());
    }
}
