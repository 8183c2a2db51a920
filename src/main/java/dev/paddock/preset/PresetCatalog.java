package dev.paddock.preset;

import dev.paddock.config.Problem;
import java.util.List;
import java.util.Optional;

/**
 * The presets read from one folder at one moment, and the problems with the files that could not be used.
 * Immutable: a reload produces a new catalog.
 */
public record PresetCatalog(List<Preset> presets, List<Problem> problems) {
    public PresetCatalog {
        presets = List.copyOf(presets);
        problems = List.copyOf(problems);
    }

    public static PresetCatalog empty() {
        return new PresetCatalog(List.of(), List.of());
    }

    public Optional<Preset> byName(String name) {
        return presets.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /** A preset whose name or alias is exactly {@code nameOrAlias}. */
    public Optional<Preset> byNameOrAlias(String nameOrAlias) {
        Optional<Preset> p = byName(nameOrAlias);
        return p.isPresent()
                ? p
                : presets.stream().filter(x -> nameOrAlias.equals(x.alias())).findFirst();
    }

    public List<String> names() {
        return presets.stream().map(Preset::name).toList();
    }
}
