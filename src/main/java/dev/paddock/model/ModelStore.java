package dev.paddock.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The models on this machine: downloaded under {@code models-dir} ({@code ORG/REPO/FILE.gguf}, and Ollama pulls
 * under {@code ollama/NAME/TAG/}), in the user's {@code model-dirs}, and found where other tools keep theirs
 * ({@link FoundModels}).
 */
public final class ModelStore {
    /** Parts after the first of a split GGUF are not models of their own. */
    private static final Pattern LATER_SPLIT_PART = Pattern.compile(".*-(\\d{5})-of-\\d{5}\\.gguf");

    private final Path root;
    private final List<Path> extraDirs;
    private final FoundModels found;

    public ModelStore(Path root) {
        this(root, List.of());
    }

    /** @param extraDirs folders of GGUF files the user keeps elsewhere: listed and used in place, never copied */
    public ModelStore(Path root, List<Path> extraDirs) {
        this(root, extraDirs, FoundModels.Places.none());
    }

    /** @param elsewhere where other tools keep the models they downloaded (used in place, never copied) */
    public ModelStore(Path root, List<Path> extraDirs, FoundModels.Places elsewhere) {
        this.root = root;
        this.extraDirs = List.copyOf(extraDirs);
        this.found = new FoundModels(elsewhere);
    }

    /**
     * The home the other tools use: {@code HOME}, as Hugging Face's libraries, Ollama and LM Studio read it, else
     * the JVM's {@code user.home}.
     */
    static Path userHome(java.util.Map<String, String> env) {
        String home = env.get("HOME");
        return Path.of(home != null && !home.isBlank() ? home : System.getProperty("user.home"));
    }

    /** The store a configuration describes, finding other tools' models as {@code model-sources} allows. */
    public static ModelStore of(dev.paddock.config.Config config, java.util.Map<String, String> env) {
        dev.paddock.config.Config.ModelSources s = config.modelSources();
        return new ModelStore(
                config.modelsDir(),
                config.extraModelDirs(),
                FoundModels.Places.of(env, userHome(env), s.huggingfaceCache(), s.lmStudio(), s.ollama()));
    }

    public Path root() {
        return root;
    }

    /**
     * Every complete model, sorted by display name; partial downloads are not listed. Models in the extra folders
     * (up to two levels down) come after the downloaded ones, named by their path.
     */
    public List<LocalModel> list() {
        List<LocalModel> out = downloaded();
        out.addAll(ollamaPulled());
        for (Path dir : extraDirs) {
            if (!Files.isDirectory(dir)) continue;
            try (Stream<Path> files = Files.find(dir, 3, (p, a) -> a.isRegularFile() && isModelFile(p))) {
                files.sorted()
                        .forEach(p -> out.add(LocalModel.inPlace(
                                p, Quant.detect(p.getFileName().toString()).orElse(null))));
            } catch (IOException | java.io.UncheckedIOException e) {
                // an unreadable folder lists what could be read
            }
        }
        out.addAll(found.list());
        return out;
    }

    /** Models pulled from Ollama's registry: {@code models-dir/ollama/NAME/TAG/NAME-TAG.gguf}. */
    private List<LocalModel> ollamaPulled() {
        List<LocalModel> out = new ArrayList<>();
        Path dir = root.resolve("ollama");
        if (!Files.isDirectory(dir)) return out;
        try (Stream<Path> names = Files.list(dir)) {
            for (Path name : names.sorted().toList()) {
                if (!Files.isDirectory(name)) continue;
                try (Stream<Path> tags = Files.list(name)) {
                    for (Path tag : tags.sorted().toList()) {
                        String folder = name.getFileName().toString();
                        Path model =
                                tag.resolve(ollamaFile(folder, tag.getFileName().toString()));
                        // the manifest is written last: without it the pull is not finished (a projector may be due)
                        if (!Files.isRegularFile(model) || !Files.isRegularFile(tag.resolve("manifest.json"))) continue;
                        Path projector = tag.resolve("mmproj.gguf");
                        out.add(new LocalModel(
                                "ollama",
                                name.getFileName().toString(),
                                model,
                                tag.getFileName().toString(),
                                LocalModel.Source.DOWNLOADED,
                                "o:" + folder.replace("--", "/") + ":" + tag.getFileName(),
                                Files.isRegularFile(projector) ? projector : null,
                                FoundModels.ollamaProblem(model)));
                    }
                }
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            return out;
        }
        return out;
    }

    /**
     * Where an Ollama model pulled by Paddock lives: {@code ollama/NAME/TAG/NAME-TAG.gguf} for Ollama's library,
     * {@code ollama/NAMESPACE--NAME/TAG/…} for a user's model.
     */
    public Path ollamaTarget(OllamaRef ref) {
        String dir = ref.namespace().equals("library") ? ref.name() : ref.namespace() + "--" + ref.name();
        return root.resolve("ollama").resolve(dir).resolve(ref.tag()).resolve(ollamaFile(dir, ref.tag()));
    }

    private static String ollamaFile(String name, String tag) {
        return name.replace('/', '_') + "-" + tag + ".gguf";
    }

    /**
     * The Ollama model {@code NAME[:TAG]} ({@code latest} when no tag is given) already on this machine: pulled by
     * Paddock, else in Ollama's own store.
     */
    public Optional<LocalModel> findOllama(String nameAndTag) {
        String wanted = nameAndTag.contains(":") ? nameAndTag : nameAndTag + ":latest";
        String pulled = "o:" + wanted;
        for (LocalModel m : ollamaPulled()) if (m.name().equalsIgnoreCase(pulled)) return Optional.of(m);
        for (LocalModel m : found.list()) {
            if (m.source() == LocalModel.Source.OLLAMA && m.name().equalsIgnoreCase(wanted)) return Optional.of(m);
        }
        return Optional.empty();
    }

    private List<LocalModel> downloaded() {
        List<LocalModel> out = new ArrayList<>();
        if (!Files.isDirectory(root)) return out;
        try (Stream<Path> files = Files.find(root, 3, (p, a) -> a.isRegularFile() && isModelFile(p))) {
            files.forEach(p -> {
                Path rel = root.relativize(p);
                if (rel.getNameCount() != 3) return;
                out.add(new LocalModel(
                        rel.getName(0).toString(),
                        rel.getName(1).toString(),
                        p,
                        Quant.detect(p.getFileName().toString()).orElse(null)));
            });
        } catch (IOException | java.io.UncheckedIOException e) {
            return out; // an unreadable folder lists what could be read; the next look will try again
        }
        out.sort(Comparator.comparing(LocalModel::displayName));
        return out;
    }

    /**
     * The file for {@code ref} already on this machine — downloaded by Paddock, else in the Hugging Face cache (used
     * in place) — its quant if one is named, else the best-ranked one present.
     */
    public Optional<LocalModel> find(HubRef ref) {
        Optional<LocalModel> ours = best(downloaded(), ref);
        if (ours.isPresent()) return ours;
        return best(
                found.list().stream()
                        .filter(m ->
                                m.source() == LocalModel.Source.HF_CACHE || m.source() == LocalModel.Source.LLAMA_CACHE)
                        .filter(m -> m.problem() == null)
                        .toList(),
                ref);
    }

    private static Optional<LocalModel> best(List<LocalModel> models, HubRef ref) {
        return models.stream()
                .filter(m -> m.org().equalsIgnoreCase(ref.org()) && m.repo().equalsIgnoreCase(ref.repo()))
                .filter(m -> ref.quant() == null || matchesQuant(m, ref.quant()))
                .min(Comparator.comparingInt((LocalModel m) -> Quant.rank(m.quant()))
                        .thenComparing(LocalModel::displayName));
    }

    private static boolean matchesQuant(LocalModel m, String quant) {
        if (m.quant() != null) return m.quant().equalsIgnoreCase(quant);
        return m.file().getFileName().toString().toLowerCase(Locale.ROOT).contains(quant.toLowerCase(Locale.ROOT));
    }

    private static boolean isModelFile(Path p) {
        String n = p.getFileName().toString();
        if (!n.endsWith(".gguf")) return false;
        var m = LATER_SPLIT_PART.matcher(n);
        return !m.matches() || m.group(1).equals("00001");
    }

    /** The files of the model whose first (or only) file is {@code first}: every part of a split model. */
    public static List<Path> parts(Path first) throws IOException {
        var m = java.util.regex.Pattern.compile("(.*)-00001-of-(\\d{5})\\.gguf")
                .matcher(first.getFileName().toString());
        if (!m.matches()) return List.of(first);
        int n = Integer.parseInt(m.group(2));
        List<Path> out = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            Path p = first.resolveSibling(String.format(Locale.ROOT, "%s-%05d-of-%s.gguf", m.group(1), i, m.group(2)));
            if (Files.exists(p)) out.add(p);
        }
        return out;
    }

    /** Deletes the model's files and its entries in the folder's {@code .metadata.json}. */
    public void remove(LocalModel m) throws IOException {
        List<Path> parts = parts(m.file());
        for (Path p : parts) Files.deleteIfExists(p);
        Path meta = m.file().resolveSibling(".metadata.json");
        if (Files.exists(meta)) {
            var json = new com.fasterxml.jackson.databind.ObjectMapper();
            var root = json.readTree(meta.toFile());
            if (root.path("files") instanceof com.fasterxml.jackson.databind.node.ObjectNode files) {
                for (Path p : parts) files.remove(p.getFileName().toString());
                if (files.isEmpty()) Files.delete(meta);
                else
                    dev.paddock.config.AtomicFile.write(
                            meta, json.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
            }
        }
    }
}
