package dev.paddock.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.paddock.config.Config;
import dev.paddock.config.ConfigException;
import dev.paddock.config.ConfigLoader;
import dev.paddock.config.PaddockHome;
import dev.paddock.core.ErrorCode;
import dev.paddock.core.PaddockException;
import dev.paddock.model.ModelFetcher;
import dev.paddock.model.ModelStore;
import dev.paddock.preset.IdentifierResolver;
import dev.paddock.preset.PresetCatalog;
import dev.paddock.preset.PresetLoader;
import dev.paddock.supervisor.LaunchPlanner;
import dev.paddock.supervisor.LaunchSpec;
import java.util.Map;
import java.util.TreeMap;

/** {@code load --dry-run}: plans the launch from the config and presets on disk, as the daemon would, and prints it. */
final class DryRun {
    private DryRun() {}

    /** Plans {@code identifier} as the daemon would, from the config and presets on disk. */
    static LaunchSpec plan(PaddockHome home, String identifier) throws PaddockException {
        Config config;
        try {
            config = ConfigLoader.load(home);
        } catch (ConfigException e) {
            throw new PaddockException(ErrorCode.INVALID_PRESET, "config.yaml has problems:\n" + e.getMessage());
        }
        PresetCatalog catalog = PresetLoader.loadDirectory(config.presetsDir());
        IdentifierResolver resolver =
                new IdentifierResolver(() -> catalog, ModelStore.of(config, System.getenv()), ModelFetcher.none());
        return new LaunchPlanner(config, System.getenv("PATH")).plan(resolver.resolve(identifier));
    }

    /**
     * The memory warning for loading {@code identifier}, when it can be planned from the files here and the
     * estimate exceeds the free memory; empty otherwise (an estimate never stops a load).
     */
    static java.util.Optional<String> fitWarning(PaddockHome home, String identifier) {
        try {
            LaunchSpec spec = plan(home, identifier);
            return dev.paddock.model.MemoryFit.check(
                    spec.presetName(),
                    spec.model(),
                    spec.preset().contextSize(),
                    spec.preset().gpuLayers(),
                    System.getenv("PATH"));
        } catch (PaddockException | dev.paddock.model.GgufException | java.io.IOException e) {
            return java.util.Optional.empty(); // the daemon reports what is wrong with the load itself
        }
    }

    static int print(PaddockHome home, String identifier, boolean json) {
        LaunchSpec spec;
        try {
            spec = plan(home, identifier);
        } catch (PaddockException e) {
            return Output.error(json, e.code().wireName(), e.getMessage(), Output.FAILED);
        }
        Map<String, String> env = new TreeMap<>(spec.env());
        env.replaceAll((k, v) -> dev.paddock.supervisor.LaunchPlanner.isSecret(k) ? "********" : v);
        if (json) {
            ObjectNode o = Output.JSON.createObjectNode();
            o.put("preset", spec.presetName());
            spec.command().forEach(o.putArray("command")::add);
            ObjectNode e = o.putObject("env");
            env.forEach(e::put);
            o.put("endpoint", spec.endpoint().toString());
            System.out.println(o);
        } else {
            env.forEach((k, v) -> System.out.print(k + "=" + LaunchSpec.shellQuote(v) + " "));
            System.out.println(spec.commandLine());
        }
        return Output.OK;
    }
}
