package dev.paddock.model;

import java.nio.file.Path;

/**
 * A GGUF file in the models folder, at {@code ORG/REPO/FILE.gguf}.
 *
 * @param quant the quantization read from the file name, or null
 */
public record LocalModel(String org, String repo, Path file, String quant) {
    /** A GGUF in one of the user's own folders, used where it is; it has no hub repository. */
    public static LocalModel inPlace(Path file, String quant) {
        return new LocalModel("", "", file, quant);
    }

    /** Downloaded (under models-dir) rather than used in place from one of the user's folders. */
    public boolean isDownloaded() {
        return !org.isEmpty();
    }

    /**
     * {@code ORG/REPO/FILE.gguf} for a downloaded model, the file's path for one used in place: the name {@code ls}
     * shows and bare words are matched against.
     */
    public String displayName() {
        return isDownloaded() ? org + "/" + repo + "/" + file.getFileName() : file.toString();
    }

    /** The file name without {@code .gguf}. */
    public String stem() {
        String n = file.getFileName().toString();
        return n.endsWith(".gguf") ? n.substring(0, n.length() - 5) : n;
    }
}
