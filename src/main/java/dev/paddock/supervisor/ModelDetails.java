package dev.paddock.supervisor;

import dev.paddock.model.GgufException;
import dev.paddock.model.GgufInfo;
import dev.paddock.model.GgufReader;
import dev.paddock.model.LocalModel;

/**
 * A model as {@code ls} shows it: its name, file and source, and its GGUF header.
 *
 * @param source where it was found: {@code downloaded}, {@code model-dirs}, {@code huggingface-cache}, …
 * @param info null when the header cannot be read ({@code problem} says why)
 * @param problem why llama-server cannot run it, or null
 * @param projector its multimodal projector, or null
 */
public record ModelDetails(String name, String file, String source, GgufInfo info, String problem, String projector) {
    public static ModelDetails of(LocalModel m) {
        String projector = m.projector() == null ? null : m.projector().toString();
        String source = m.source().wireName();
        try {
            return new ModelDetails(
                    m.displayName(), m.file().toString(), source, GgufReader.read(m.file()), m.problem(), projector);
        } catch (GgufException e) {
            return new ModelDetails(m.displayName(), m.file().toString(), source, null, e.getMessage(), projector);
        }
    }
}
