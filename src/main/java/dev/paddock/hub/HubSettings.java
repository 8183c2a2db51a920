package dev.paddock.hub;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where the hub is and who we are to it, from the environment as the Hugging Face tools read it:
 * {@code HF_ENDPOINT} (default https://huggingface.co), {@code HF_TOKEN}, else the token file {@code
 * huggingface-cli login} writes ({@code HF_TOKEN_PATH}, else {@code $HF_HOME/token}, else
 * {@code ~/.cache/huggingface/token}), and {@code HF_HUB_OFFLINE=1}; and Ollama's registry, {@code OLLAMA_REGISTRY}
 * (default https://registry.ollama.ai).
 *
 * @param token null when there is none
 */
public record HubSettings(URI endpoint, String token, boolean offline, URI ollamaRegistry) {
    public HubSettings(URI endpoint, String token, boolean offline) {
        this(endpoint, token, offline, URI.create("https://registry.ollama.ai"));
    }

    public static HubSettings fromEnvironment(Map<String, String> env) {
        String endpoint = env.getOrDefault("HF_ENDPOINT", "https://huggingface.co");
        if (endpoint.endsWith("/")) endpoint = endpoint.substring(0, endpoint.length() - 1);
        String token = env.get("HF_TOKEN");
        if (token == null || token.isBlank()) token = tokenFile(env);
        String off = env.getOrDefault("HF_HUB_OFFLINE", "");
        boolean offline = off.equals("1") || off.equalsIgnoreCase("true") || off.equalsIgnoreCase("yes");
        String ollama = env.getOrDefault("OLLAMA_REGISTRY", "https://registry.ollama.ai");
        if (ollama.endsWith("/")) ollama = ollama.substring(0, ollama.length() - 1);
        return new HubSettings(
                URI.create(endpoint),
                token == null || token.isBlank() ? null : token.trim(),
                offline,
                URI.create(ollama));
    }

    private static String tokenFile(Map<String, String> env) {
        String home = System.getProperty("user.home");
        Path file = env.containsKey("HF_TOKEN_PATH")
                ? Path.of(env.get("HF_TOKEN_PATH"))
                : env.containsKey("HF_HOME")
                        ? Path.of(env.get("HF_HOME"), "token")
                        : Path.of(home, ".cache", "huggingface", "token");
        try {
            return Files.isReadable(file)
                    ? Files.readString(file, StandardCharsets.UTF_8).trim()
                    : null;
        } catch (IOException e) {
            return null;
        }
    }
}
