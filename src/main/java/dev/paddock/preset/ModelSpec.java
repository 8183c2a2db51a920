package dev.paddock.preset;

import dev.paddock.model.HubRef;

/** The {@code model:} of a preset: a hub model, an Ollama model or a file. */
public sealed interface ModelSpec {
    /** A Hugging Face model, found in (or fetched into) the model store. */
    record Hub(HubRef ref) implements ModelSpec {}

    /** A model from Ollama's registry, found on this machine or pulled. */
    record Ollama(dev.paddock.model.OllamaRef ref) implements ModelSpec {}

    /** A file: absolute, {@code ~/…}, or relative to the folder of the preset that names it. */
    record File(String path) implements ModelSpec {
        public File {
            if (path == null || path.isBlank())
                throw new IllegalArgumentException("f: needs a path, e.g. f:/models/tiny.gguf");
        }
    }

    /** @throws IllegalArgumentException with a message that shows the accepted forms */
    static ModelSpec parse(String text) {
        if (text.startsWith("h:")) return new Hub(HubRef.parse(text.substring(2)));
        if (text.startsWith("f:")) return new File(text.substring(2));
        if (text.startsWith("o:")) return new Ollama(dev.paddock.model.OllamaRef.parse(text.substring(2)));
        if (text.startsWith("p:")) {
            throw new IllegalArgumentException("a preset's model cannot be another preset ('" + text
                    + "'); use h:ORG/REPO[:QUANT] or a .gguf path");
        }
        if (text.endsWith(".gguf") || text.startsWith("/") || text.startsWith("~") || text.startsWith("."))
            return new File(text);
        throw new IllegalArgumentException("'" + text
                + "' is not a model: use h:ORG/REPO[:QUANT], o:NAME[:TAG], f:PATH, or a path to a .gguf file");
    }
}
