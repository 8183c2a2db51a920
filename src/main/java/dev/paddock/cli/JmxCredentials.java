package dev.paddock.cli;

import dev.paddock.config.Config;
import dev.paddock.config.ConfigException;
import dev.paddock.config.ConfigLoader;
import dev.paddock.config.PaddockHome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The user name and password the CLI sends when the connector wants them: {@code PADDOCK_JMX_USER} and
 * {@code PADDOCK_JMX_PASSWORD}, else the first {@code readwrite} user of the configured access file with its
 * password from the password file (which only its owner, the user running both, can read).
 */
final class JmxCredentials {
    private JmxCredentials() {}

    static String[] find(PaddockHome home) {
        String user = System.getenv("PADDOCK_JMX_USER");
        String password = System.getenv("PADDOCK_JMX_PASSWORD");
        if (user != null && password != null) return new String[] {user, password};
        try {
            Config.Jmx jmx = ConfigLoader.load(home).jmx();
            if (jmx.passwordFile() == null || jmx.accessFile() == null) return new String[] {"", ""};
            Map<String, String> passwords = new HashMap<>();
            for (String[] f : fields(Files.readAllLines(jmx.passwordFile(), StandardCharsets.UTF_8))) {
                if (f.length >= 2) passwords.put(f[0], f[1]);
            }
            for (String[] f : fields(Files.readAllLines(jmx.accessFile(), StandardCharsets.UTF_8))) {
                if (f.length >= 2 && f[1].equals("readwrite") && passwords.containsKey(f[0])) {
                    return new String[] {f[0], passwords.get(f[0])};
                }
            }
        } catch (ConfigException | IOException e) {
            // no usable files: the connector refuses, and the message says what to set
        }
        return new String[] {"", ""};
    }

    private static List<String[]> fields(List<String> lines) {
        return lines.stream()
                .map(String::trim)
                .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .map(l -> l.split("\\s+"))
                .toList();
    }
}
