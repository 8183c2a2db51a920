package dev.paddock.jmx;

import javax.management.ConstructorParameters;

/**
 * A model on this machine as JMX shows it (an open-type CompositeData to clients without Paddock's classes): -1 or null
 * where the GGUF header does not say.
 */
public final class ModelRow {
    private final String name;
    private final String file;
    private final String architecture;
    private final long parameters;
    private final String quant;
    private final long size;
    private final long context;
    private final String problem;
    private final String source;
    private final String projector;

    @ConstructorParameters({
        "name",
        "file",
        "architecture",
        "parameters",
        "quant",
        "size",
        "context",
        "problem",
        "source",
        "projector"
    })
    public ModelRow(
            String name,
            String file,
            String architecture,
            long parameters,
            String quant,
            long size,
            long context,
            String problem,
            String source,
            String projector) {
        this.source = source;
        this.projector = projector;
        this.name = name;
        this.file = file;
        this.architecture = architecture;
        this.parameters = parameters;
        this.quant = quant;
        this.size = size;
        this.context = context;
        this.problem = problem;
    }

    /** {@code ORG/REPO/FILE.gguf}. */
    public String getName() {
        return name;
    }

    public String getFile() {
        return file;
    }

    public String getArchitecture() {
        return architecture;
    }

    public long getParameters() {
        return parameters;
    }

    /** The quantization the header names ({@code general.file_type}). */
    public String getQuant() {
        return quant;
    }

    /** Bytes on disk. */
    public long getSize() {
        return size;
    }

    /** The context length the model was trained with, in tokens. */
    public long getContext() {
        return context;
    }

    /** Where it was found: downloaded, model-dirs, huggingface-cache, llama.cpp-cache, lm-studio or ollama. */
    public String getSource() {
        return source;
    }

    /** Its multimodal projector ({@code --mmproj}), or null. */
    public String getProjector() {
        return projector;
    }

    /** Why llama-server cannot run it (its header, or what the header says), or null. */
    public String getProblem() {
        return problem;
    }
}
