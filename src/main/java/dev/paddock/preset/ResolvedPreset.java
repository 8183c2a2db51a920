package dev.paddock.preset;

import java.nio.file.Path;

/** A preset whose model has been found on disk: everything needed to plan a launch. */
public record ResolvedPreset(Preset preset, Path modelFile) {
    public ResolvedPreset {
        if (preset == null || modelFile == null) throw new IllegalArgumentException("preset/modelFile is null");
        modelFile = modelFile.toAbsolutePath().normalize();
    }
}
