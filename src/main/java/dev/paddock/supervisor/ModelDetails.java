package dev.paddock.supervisor;

import dev.paddock.model.GgufException;
import dev.paddock.model.GgufInfo;
import dev.paddock.model.GgufReader;
import dev.paddock.model.LocalModel;

/**
 * A downloaded model as {@code ls} shows it: its name and file, and its GGUF header.
 *
 * @param info null when the header cannot be read ({@code problem} says why)
 */
public record ModelDetails(String name, String file, GgufInfo info, String problem) {
    public static ModelDetails of(LocalModel m) {
        try {
            return new ModelDetails(m.displayName(), m.file().toString(), GgufReader.read(m.file()), null);
        } catch (GgufException e) {
            return new ModelDetails(m.displayName(), m.file().toString(), null, e.getMessage());
        }
    }
}
