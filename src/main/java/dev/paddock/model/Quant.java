package dev.paddock.model;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Quantization names as they appear in GGUF file names, and the order in which Paddock prefers them. */
public final class Quant {
    private static final Pattern IN_NAME = Pattern.compile(
            "(?i)(?<![A-Z0-9])(IQ[1-4]_(?:XXS|XS|S|M|NL)|Q[2-8]_K_(?:XL|S|M|L)|Q[2-8]_K|Q[4-8]_[01]|Q[4-8]|BF16|F16|F32|FP16|TQ[12]_0|MXFP4)(?![A-Z0-9])");

    /**
     * Best first: Q4_K_M is the usual balance of size and quality; then larger-but-better, then smaller, then
     * unquantized. A quant not listed ranks after all listed ones.
     */
    private static final List<String> PREFERENCE = List.of(
            "Q4_K_M", "Q4_K_S", "Q5_K_M", "Q5_K_S", "Q4_0", "Q6_K", "Q8_0", "IQ4_XS", "IQ4_NL", "Q4_1", "Q5_0", "Q5_1",
            "Q3_K_L", "Q3_K_M", "Q3_K_S", "MXFP4", "IQ3_M", "IQ3_S", "IQ3_XS", "IQ3_XXS", "Q2_K", "IQ2_M", "IQ2_S",
            "IQ2_XS", "IQ2_XXS", "IQ1_M", "IQ1_S", "BF16", "F16", "F32");

    private Quant() {}

    /** The quantization named in a file name, upper-cased ({@code qwen2.5-0.5b-instruct-q4_k_m.gguf} → Q4_K_M). */
    public static Optional<String> detect(String fileName) {
        Matcher m = IN_NAME.matcher(fileName);
        String found = null;
        while (m.find())
            found = m.group(1).toUpperCase(Locale.ROOT); // the last match: names often lead with the model's own digits
        if ("FP16".equals(found)) found = "F16";
        return Optional.ofNullable(found);
    }

    /** Lower is better. */
    public static int rank(String quant) {
        int i = PREFERENCE.indexOf(quant == null ? "" : quant.toUpperCase(Locale.ROOT));
        return i < 0 ? PREFERENCE.size() : i;
    }
}
