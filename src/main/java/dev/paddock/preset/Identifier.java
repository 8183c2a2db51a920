package dev.paddock.preset;

import dev.paddock.core.ErrorCode;
import dev.paddock.core.PaddockException;
import dev.paddock.model.HubRef;

/**
 * What a person names when they ask for a model: {@code p:NAME}, {@code h:ORG/REPO[:QUANT]}, {@code o:NAME[:TAG]},
 * {@code f:PATH}, or a bare name matched against presets and the models on this machine — which may hold {@code /} and
 * {@code :}, as the names other tools give their models do ({@code llama3.2:1b},
 * {@code Qwen/Qwen2.5-0.5B-Instruct-GGUF:Q4_K_M}).
 */
public sealed interface Identifier {
    record PresetName(String name) implements Identifier {}

    record Hub(HubRef ref) implements Identifier {}

    record File(String path) implements Identifier {}

    /** A model from Ollama's registry (pulled first when it is not on this machine). */
    record Ollama(dev.paddock.model.OllamaRef ref) implements Identifier {}

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
            if (t.startsWith("o:")) return new Ollama(dev.paddock.model.OllamaRef.parse(t.substring(2)));
        } catch (IllegalArgumentException e) {
            throw invalid(e.getMessage());
        }
        if (t.startsWith("/") || t.startsWith("~") || t.startsWith(".") || t.contains("\\")) {
            throw invalid("'" + t + "'; a path needs f:");
        }
        if (t.matches("(?i)([a-z]{1,2}|hf|ollama|file|preset|https?):.*")) {
            throw invalid("'" + t + "' (" + t.substring(0, t.indexOf(':') + 1) + " is no prefix Paddock knows)");
        }
        if (!t.matches("[A-Za-z0-9][A-Za-z0-9._:/-]*")) {
            throw invalid("'" + t + "' (names use letters, digits, '.', '_', '-', '/' and ':')");
        }
        return new Word(t);
    }

    private static PaddockException invalid(String what) {
        return new PaddockException(
                ErrorCode.INVALID_IDENTIFIER,
                "cannot use " + what + "; name a model as p:PRESET, h:ORG/REPO[:QUANT], o:NAME[:TAG], f:PATH, or by"
                        + " the name `paddock ls` shows");
    }
}
