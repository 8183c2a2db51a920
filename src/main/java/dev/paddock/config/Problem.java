package dev.paddock.config;

import java.nio.file.Path;

/**
 * One thing wrong with a YAML file, located well enough for a person to fix it.
 *
 * @param file the file it was found in
 * @param line 1-based line, or 0 when the problem is about the file as a whole
 * @param key the key at fault, or null
 * @param message what is wrong and what to do
 */
public record Problem(Path file, int line, String key, String message) {
    public Problem {
        if (file == null) throw new IllegalArgumentException("file is null");
        if (message == null || message.isBlank()) throw new IllegalArgumentException("message is blank");
        if (line < 0) throw new IllegalArgumentException("line < 0: " + line);
    }

    /** {@code /home/u/.paddock/presets/a.yaml:4: port: expected a number or 'auto', got 'eighty'}. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(file.toString());
        if (line > 0) s.append(':').append(line);
        s.append(": ");
        if (key != null) s.append(key).append(": ");
        return s.append(message).toString();
    }
}
