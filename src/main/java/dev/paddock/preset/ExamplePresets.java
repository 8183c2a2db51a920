package dev.paddock.preset;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The example presets that ship with Paddock (the project's {@code presets/} folder, packed into the jar), offered
 * on an empty home: the tray's "Get started" writes one into the presets folder and loads it; {@code paddock start}
 * names them.
 */
public final class ExamplePresets {
    private static final String FOLDER = "dev/paddock/examples";

    /**
     * One example.
     *
     * @param model its model identifier ({@code h:ORG/REPO:QUANT}), which {@code paddock run} takes as it is
     * @param yaml the preset file's text
     */
    public record Example(String name, String description, String model, String yaml) {}

    private ExamplePresets() {}

    /** Every example, by name; empty when the jar has none (a build without resources). */
    public static List<Example> all() {
        URL folder = ExamplePresets.class.getClassLoader().getResource(FOLDER);
        if (folder == null) return List.of();
        try {
            URI uri = folder.toURI();
            if (uri.getScheme().equals("jar")) { // jar:file:/…/paddock.jar!/dev/paddock/examples
                String s = uri.toString();
                Path jarFile = Path.of(URI.create(s.substring("jar:".length(), s.indexOf("!/"))));
                try (FileSystem jar = FileSystems.newFileSystem(jarFile)) { // a view of its own, closed here
                    return read(jar.getPath(FOLDER));
                }
            }
            return read(Path.of(uri));
        } catch (IOException | URISyntaxException | RuntimeException e) {
            return List.of(); // an example is a courtesy: never the reason something else fails
        }
    }

    private static List<Example> read(Path dir) throws IOException {
        List<Example> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".yaml"))
                    .sorted()
                    .toList()) {
                String text;
                try (InputStream in = Files.newInputStream(f)) {
                    text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
                Object loaded = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
                if (!(loaded instanceof Map<?, ?> m)) continue;
                String name = f.getFileName().toString().replaceFirst("\\.yaml$", "");
                out.add(new Example(
                        name,
                        m.get("description") == null
                                ? null
                                : m.get("description").toString(),
                        String.valueOf(m.get("model")),
                        text));
            }
        }
        return out;
    }
}
