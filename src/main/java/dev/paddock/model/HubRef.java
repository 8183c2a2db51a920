package dev.paddock.model;

import java.util.regex.Pattern;

/**
 * A Hugging Face GGUF repository, optionally narrowed to one quantization: {@code Qwen/Qwen2.5-0.5B-Instruct-GGUF:Q4_K_M}.
 *
 * @param quant the quantization asked for, or null for the best one available
 */
public record HubRef(String org, String repo, String quant) {
    private static final Pattern PART = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,95}");
    private static final Pattern QUANT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,31}");

    public HubRef {
        if (org == null || !PART.matcher(org).matches() || org.contains("..")) {
            throw new IllegalArgumentException(
                    "bad organisation '" + org + "': letters, digits, '.', '_' and '-' only");
        }
        if (repo == null || !PART.matcher(repo).matches() || repo.contains("..")) {
            throw new IllegalArgumentException("bad repository '" + repo + "': letters, digits, '.', '_' and '-' only");
        }
        if (quant != null && !QUANT.matcher(quant).matches()) {
            throw new IllegalArgumentException("bad quantization '" + quant + "', e.g. Q4_K_M");
        }
    }

    /** Parses {@code ORG/REPO[:QUANT]}. @throws IllegalArgumentException with a message fit for a person */
    public static HubRef parse(String text) {
        String rest = text;
        String quant = null;
        int colon = rest.indexOf(':');
        if (colon >= 0) {
            quant = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
        }
        int slash = rest.indexOf('/');
        if (slash < 0 || rest.indexOf('/', slash + 1) >= 0) {
            throw new IllegalArgumentException(
                    "'" + text + "' is not ORG/REPO[:QUANT], e.g. Qwen/Qwen2.5-0.5B-Instruct-GGUF:Q4_K_M");
        }
        return new HubRef(rest.substring(0, slash), rest.substring(slash + 1), quant);
    }

    @Override
    public String toString() {
        return org + "/" + repo + (quant == null ? "" : ":" + quant);
    }
}
