package dev.paddock.model;

/**
 * What a GGUF file's header says about the model. Any field the file does not carry is null (or -1 for counts).
 *
 * @param parameters the number of weights, summed over the tensors' shapes
 * @param fileType the quantization the header names ({@code general.file_type}), e.g. {@code Q4_K_M}, or null
 * @param splitCount how many files a split model has (1 when not split)
 * @param chatTemplateText the chat template ({@code tokenizer.chat_template}), or null
 * @param visionTensors tensors of a vision tower in this same file ({@code v.*}, {@code mm.*}): llama-server reads
 *     those from a separate projector file ({@code --mmproj}), so a model that carries them here needs care
 */
public record GgufInfo(
        int version,
        String architecture,
        String name,
        long parameters,
        String fileType,
        Long contextLength,
        Long embeddingLength,
        Long blockCount,
        Long headCount,
        Long headCountKv,
        String tokenizer,
        boolean chatTemplate,
        long tensorCount,
        int splitCount,
        int splitIndex,
        long fileSize,
        String chatTemplateText,
        long visionTensors) {

    /**
     * Bytes of KV cache for {@code context} tokens at 16-bit precision: 2 (K and V) × layers × context × the KV
     * width (embedding / heads × KV heads) × 2 bytes; -1 when the header lacks a number it needs.
     */
    public long kvCacheBytes(long context) {
        if (blockCount == null || embeddingLength == null || headCount == null || headCount == 0) return -1;
        long kvHeads = headCountKv == null ? headCount : headCountKv;
        long kvWidth = embeddingLength / headCount * kvHeads;
        return 2L * blockCount * context * kvWidth * 2L;
    }

    /** {@code llama, 494M parameters, Q4_K_M, trained context 32768}: one line for tooltips and logs. */
    public String summary() {
        return architecture + ", " + (parameters < 0 ? "?" : count(parameters)) + " parameters, "
                + (fileType == null ? "?" : fileType)
                + (contextLength == null ? "" : ", trained context " + contextLength);
    }

    /** A count as people write it: {@code 124K}, {@code 494M}, {@code 7.6B}. */
    public static String count(long n) {
        if (n >= 1_000_000_000L) return String.format(java.util.Locale.ROOT, "%.1fB", n / 1e9);
        if (n >= 1_000_000L) return String.format(java.util.Locale.ROOT, "%.0fM", n / 1e6);
        if (n >= 1_000L) return String.format(java.util.Locale.ROOT, "%.0fK", n / 1e3);
        return Long.toString(n);
    }
}
