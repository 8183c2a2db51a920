package dev.paddock.cli;

import dev.paddock.config.Config;
import dev.paddock.config.ConfigException;
import dev.paddock.config.ConfigLoader;
import dev.paddock.config.PaddockHome;
import dev.paddock.core.ErrorCode;
import dev.paddock.core.PaddockException;
import dev.paddock.model.ModelFetcher;
import dev.paddock.model.ModelStore;
import dev.paddock.preset.IdentifierResolver;
import dev.paddock.preset.Preset;
import dev.paddock.preset.PresetCatalog;
import dev.paddock.preset.PresetLoader;
import dev.paddock.supervisor.LaunchPlanner;
import dev.paddock.supervisor.PidFile;
import dev.paddock.supervisor.PortCheck;
import dev.paddock.supervisor.ServerVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * {@code paddock doctor}: checks what Paddock needs, without it running: the config, the llama-server binary (by
 * running {@code --version}), the folders and their permissions, every preset, and the ports. Each finding says
 * what to do. Exit 0 when nothing failed, 1 otherwise; warnings do not fail.
 */
@Command(
        name = "doctor",
        mixinStandardHelpOptions = true,
        description = "Check the setup (llama-server, folders, presets, ports) and say what to fix.")
public final class DoctorCommand implements Callable<Integer> {
    private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE,
            PosixFilePermission.OTHERS_EXECUTE);

    private int failures;
    private int warnings;

    @Override
    public Integer call() {
        PaddockHome home = PaddockHome.fromEnvironment(System.getenv());
        System.out.println(Term.bold("Paddock doctor") + "  " + home.root());
        Config config;
        try {
            config = ConfigLoader.load(home);
            ok(
                    "config",
                    Files.exists(home.configFile())
                            ? home.configFile() + " reads cleanly"
                            : "no config.yaml: all defaults");
        } catch (ConfigException e) {
            fail(
                    "config",
                    e.getMessage().replace("\n", "\n        ") + "\n        fix the lines above in "
                            + home.configFile());
            config = Config.defaults(home);
        }
        Optional<ProcessHandle> daemon = PidFile.livePaddock(home);
        if (daemon.isPresent()) ok("paddock", "running (pid " + daemon.get().pid() + ")");
        else ok("paddock", "not running (start it with: paddock start)");

        LaunchPlanner planner = new LaunchPlanner(
                config, Optional.ofNullable(System.getenv("PATH")).orElse(""));
        checkServer(planner, Preset.forModel("doctor", "f:/dev/null"), "llama-server");
        checkFolders(home, config);
        checkPresets(config, planner);
        checkPorts(config, daemon.isPresent());

        String summary = failures == 0 && warnings == 0
                ? Term.green("all good")
                : (failures > 0 ? Term.red(failures + " problem(s)") : "no problems") + ", " + warnings + " warning(s)";
        System.out.println(summary);
        return failures == 0 ? Output.OK : Output.FAILED;
    }

    private void checkServer(LaunchPlanner planner, Preset p, String what) {
        Path binary;
        try {
            binary = planner.binaryFor(p);
        } catch (PaddockException e) {
            fail(what, e.getMessage());
            return;
        }
        ServerVersion.Result r = ServerVersion.check(binary);
        if (r.ok()) ok(what, binary + "  (" + r.message() + ")");
        else fail(what, "llama-server " + binary + ": " + r.message());
    }

    private void checkFolders(PaddockHome home, Config config) {
        List<Path> dirs = List.of(home.root(), config.presetsDir(), config.modelsDir(), home.logsDir());
        int good = 0;
        for (Path d : dirs) {
            if (!Files.exists(d)) {
                warn("folder", d + " does not exist yet; Paddock creates it on start");
                continue;
            }
            if (!Files.isDirectory(d) || !Files.isWritable(d)) {
                fail("folder", d + " is not a writable folder; fix its owner or permissions");
                continue;
            }
            try {
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(d, LinkOption.NOFOLLOW_LINKS);
                Set<PosixFilePermission> open = EnumSet.copyOf(GROUP_OR_OTHERS);
                open.retainAll(perms);
                if (!open.isEmpty()) {
                    warn("folder", d + " is open to other users; make it owner-only: chmod 700 " + d);
                    continue;
                }
            } catch (UnsupportedOperationException | IOException e) {
                // no POSIX permissions here (another file system): nothing to check
            }
            good++;
        }
        if (good == dirs.size()) ok("folders", "home, presets, models and logs exist, writable, owner-only");
    }

    private void checkPresets(Config config, LaunchPlanner planner) {
        PresetCatalog catalog = PresetLoader.loadDirectory(config.presetsDir());
        catalog.problems().forEach(p -> fail("preset", p + "\n        the other presets still load; fix this file"));
        if (catalog.presets().isEmpty() && catalog.problems().isEmpty()) {
            warn("presets", "none in " + config.presetsDir() + "; make one with: paddock new NAME --model ID");
        }
        IdentifierResolver resolver =
                new IdentifierResolver(() -> catalog, ModelStore.of(config, System.getenv()), ModelFetcher.none());
        for (Preset p : catalog.presets()) {
            String label = "preset " + p.name();
            try {
                Path model = resolver.resolve(p).modelFile();
                if (p.llamaServer() != null) {
                    checkServer(planner, p, label + " llama-server");
                }
                ok(label, model.toString());
                fit(label, model, p);
            } catch (PaddockException e) {
                if (e.code() == ErrorCode.MODEL_NOT_FOUND && p.model().startsWith("h:")) {
                    warn(label, e.getMessage());
                } else {
                    fail(label, e.getMessage() + "  (" + p.origin() + ")");
                }
            }
        }
    }

    private void fit(String label, Path model, Preset p) {
        try {
            dev.paddock.model.MemoryFit.check(label, model, p.contextSize(), p.gpuLayers(), System.getenv("PATH"))
                    .ifPresent(w -> warn(label, w));
        } catch (dev.paddock.model.GgufException e) {
            fail(label, e.getMessage());
        } catch (java.io.IOException e) {
            warn(label, "cannot size " + model + ": " + e.getMessage());
        }
    }

    private void checkPorts(Config config, boolean paddockRuns) {
        port(config.jmx().host(), config.jmx().port(), "JMX (jmx.port)", paddockRuns);
        port(config.gateway().host(), config.gateway().port(), "gateway (gateway.port)", paddockRuns);
        if (!paddockRuns) port(config.host(), config.port(), "presets' default (port)", false);
    }

    private void port(String host, int port, String what, boolean paddockRuns) {
        if (port == 0) {
            ok("port", what + ": off");
            return;
        }
        if (PortCheck.isFree(host, port)) ok("port", host + ":" + port + " " + what + ": free");
        else if (paddockRuns) ok("port", host + ":" + port + " " + what + ": in use (by the running Paddock)");
        else fail("port", host + ":" + port + " " + what + " is in use by another program; change it in config.yaml");
    }

    private void ok(String what, String detail) {
        line(Term.green(" ok  "), what, detail);
    }

    private void warn(String what, String detail) {
        warnings++;
        line(Term.yellow(" warn"), what, detail);
    }

    private void fail(String what, String detail) {
        failures++;
        line(Term.red(" FAIL"), what, detail);
    }

    private static void line(String mark, String what, String detail) {
        System.out.println(mark + "  " + Term.bold(what) + ": " + detail);
    }
}
