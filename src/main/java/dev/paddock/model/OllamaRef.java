package dev.paddock.model;

import java.util.regex.Pattern;

/**
 * A model in Ollama's registry, as Ollama names it: {@code NAME[:TAG]} in its library ({@code llama3.2},
 * {@code qwen2.5-coder:7b-instruct-q4_K_M}), or {@code NAMESPACE/NAME[:TAG]} for a user's model. The tag is
 * {@code latest} when none is given.
 */
public record OllamaRef(String namespace, String name, String tag) {
    private static final Pattern NAMESPACE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,79}");
    private static final Pattern PART = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,79}");

    public OllamaRef {
        if (namespace == null || !NAMESPACE.matcher(namespace).matches())
            throw new IllegalArgumentException("bad namespace '" + namespace + "': letters, digits, '_' and '-' only");
        if (name == null || !PART.matcher(name).matches() || name.contains(".."))
            throw new IllegalArgumentException("bad model name '" + name + "': letters, digits, '.', '_' and '-'");
        if (tag == null || !PART.matcher(tag).matches() || tag.contains(".."))
            throw new IllegalArgumentException("bad tag '" + tag + "': letters, digits, '.', '_' and '-'");
    }

    /** Parses {@code [NAMESPACE/]NAME[:TAG]}. @throws IllegalArgumentException with a message fit for a person */
    public static OllamaRef parse(String text) {
        String rest = text;
        String tag = "latest";
        int colon = rest.lastIndexOf(':');
        if (colon >= 0 && colon > rest.lastIndexOf('/')) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
        }
        String[] parts = rest.split("/", -1);
        if (parts.length > 2)
            throw new IllegalArgumentException("'" + text + "' is not [NAMESPACE/]NAME[:TAG], e.g. llama3.2:1b");
        return parts.length == 2 ? new OllamaRef(parts[0], parts[1], tag) : new OllamaRef("library", parts[0], tag);
    }

    /** The path under the registry: {@code library/NAME} or {@code NAMESPACE/NAME}. */
    public String repository() {
        return namespace + "/" + name;
    }

    /** {@code NAME:TAG} for Ollama's library, {@code NAMESPACE/NAME:TAG} otherwise: as Ollama shows it. */
    @Override
    public String toString() {
        return (namespace.equals("library") ? "" : namespace + "/") + name + ":" + tag;
    }
}
