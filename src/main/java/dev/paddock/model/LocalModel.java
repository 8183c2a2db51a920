package dev.paddock.model;

import java.nio.file.Path;

/**
 * A GGUF file in the models folder, at {@code ORG/REPO/FILE.gguf}.
 *
 * @param quant the quantization read from the file name, or null
 */
public record LocalModel(String org, String repo, Path file, String quant) {
    /** {@code ORG/REPO/FILE.gguf}, the name {@code ls} shows and bare words are matched against. */
    public String displayName() {
        return org + "/" + repo + "/" + file.getFileName();
    }

    /** The file name without {@code .gguf}. */
    public String stem() {
        String n = file.getFileName().toString();
        return n.endsWith(".gguf") ? n.substring(0, n.length() - 5) : n;
    }
}
