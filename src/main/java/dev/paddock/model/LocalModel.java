package dev.paddock.model;

import java.nio.file.Path;

/**
 * A GGUF model on this machine: downloaded by Paddock ({@code models/ORG/REPO/FILE.gguf}), in one of the user's
 * own folders ({@code model-dirs}), or found where another tool keeps it (the Hugging Face cache, llama.cpp's cache,
 * LM Studio, Ollama) and used in place, never copied.
 *
 * @param org the hub organisation (or publisher, or Ollama namespace); empty when there is none
 * @param repo the hub repository (or model); empty when there is none
 * @param quant the quantization read from the file name (or the tag), or null
 * @param source where it was found
 * @param name the short name it is known by: {@code ORG/REPO:QUANT}, {@code PUBLISHER/MODEL:QUANT},
 *     {@code NAME:TAG}; the path for a file in one of the user's folders
 * @param projector the multimodal projector that goes with it ({@code --mmproj}), or null
 * @param problem why llama-server cannot run it, as far as its files tell, or null
 */
public record LocalModel(
        String org, String repo, Path file, String quant, Source source, String name, Path projector, String problem) {

    /** Where a model was found, and who owns its files. */
    public enum Source {
        DOWNLOADED("downloaded", null),
        FOLDER("model-dirs", null),
        HF_CACHE("huggingface-cache", "the Hugging Face cache (remove it with `huggingface-cli delete-cache`)"),
        LLAMA_CACHE("llama.cpp-cache", "llama.cpp's cache (LLAMA_CACHE)"),
        LM_STUDIO("lm-studio", "LM Studio (remove it there)"),
        OLLAMA("ollama", "Ollama (remove it with `ollama rm`)");

        private final String wireName;
        private final String owner;

        Source(String wireName, String owner) {
            this.wireName = wireName;
            this.owner = owner;
        }

        /** The name {@code ls --json} and JMX show: {@code huggingface-cache}, {@code ollama}, … */
        public String wireName() {
            return wireName;
        }

        /** Who owns the files and how to remove them there; null for the files Paddock manages or the user's own. */
        public String owner() {
            return owner;
        }
    }

    public LocalModel {
        if (file == null || source == null) throw new IllegalArgumentException("file/source is null");
        org = org == null ? "" : org;
        repo = repo == null ? "" : repo;
    }

    /** A model Paddock downloaded to {@code models/ORG/REPO/FILE.gguf}. */
    public LocalModel(String org, String repo, Path file, String quant) {
        this(org, repo, file, quant, Source.DOWNLOADED, org + "/" + repo + "/" + file.getFileName(), null, null);
    }

    /** A GGUF in one of the user's own folders, used where it is; it has no hub repository. */
    public static LocalModel inPlace(Path file, String quant) {
        return new LocalModel("", "", file, quant, Source.FOLDER, file.toString(), null, null);
    }

    /** Downloaded by Paddock (under models-dir): the only kind {@code rm} deletes. */
    public boolean isDownloaded() {
        return source == Source.DOWNLOADED;
    }

    /**
     * The name {@code ls} shows and bare words are matched against: {@code ORG/REPO/FILE.gguf} for a downloaded
     * model, the path for one in the user's folders, the source's own name for one found elsewhere.
     */
    public String displayName() {
        return name;
    }

    /**
     * The identifier a load of this model takes (the Models window's Load): {@code f:PATH} for a file in the user's
     * folders (its stem could be a preset's name too), the name it is listed by otherwise.
     */
    public String loadName() {
        return source == Source.FOLDER ? "f:" + file : name;
    }

    /** The file name without {@code .gguf}. */
    public String stem() {
        String n = file.getFileName().toString();
        return n.endsWith(".gguf") ? n.substring(0, n.length() - 5) : n;
    }
}
