package dev.paddock.preset;

import dev.paddock.core.ErrorCode;
import dev.paddock.core.PaddockException;
import dev.paddock.model.HubRef;

/**
 * What a person names when they ask for a model: {@code p:NAME}, {@code h:ORG/REPO[:QUANT]}, {@code f:PATH}, or a
 * bare word matched against presets and downloaded models.
 */
public sealed interface Identifier {
    record PresetName(String name) implements Identifier {}

    record Hub(HubRef ref) implements Identifier {}

    record File(String path) implements Identifier {}

    record Word(String word) implements Identifier {}

    /** @throws PaddockException {@code invalid_identifier} with the accepted forms */
    static Identifier parse(String text) throws PaddockException {
        if (text == null || text.isBlank()) throw invalid("an empty identifier");
        String t = text.trim();
        try {
            if (t.startsWith("p:")) {
                String name = t.substring(2);
                if (!Preset.isValidName(name))
                    throw invalid("'" + t + "' (preset names use letters, digits, '.', '_' and '-')");
                return new PresetName(name);
            }
            if (t.startsWith("h:")) return new Hub(HubRef.parse(t.substring(2)));
            if (t.startsWith("f:")) {
                if (t.length() == 2) throw invalid("'f:' without a path");
                return new File(t.substring(2));
            }
        } catch (IllegalArgumentException e) {
            throw invalid(e.getMessage());
        }
        if (t.contains(":") || t.contains("/") || t.contains("\\")) {
            throw invalid("'" + t + "'; a path needs f:, a Hugging Face model needs h:");
        }
        return new Word(t);
    }

    private static PaddockException invalid(String what) {
        return new PaddockException(
                ErrorCode.INVALID_IDENTIFIER,
                "cannot use " + what + "; name a model as p:PRESET, h:ORG/REPO[:QUANT], f:PATH or a preset name");
    }
}
