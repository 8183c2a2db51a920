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

/** The downloaded models under {@code models-dir}, laid out as {@code ORG/REPO/FILE.gguf}. */
public final class ModelStore {
    /** Parts after the first of a split GGUF are not models of their own. */
    private static final Pattern LATER_SPLIT_PART = Pattern.compile(".*-(\\d{5})-of-\\d{5}\\.gguf");

    private final Path root;
    private final List<Path> extraDirs;

    public ModelStore(Path root) {
        this(root, List.of());
    }

    /** @param extraDirs folders of GGUF files the user keeps elsewhere: listed and used in place, never copied */
    public ModelStore(Path root, List<Path> extraDirs) {
        this.root = root;
        this.extraDirs = List.copyOf(extraDirs);
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
        return out;
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

    /** The downloaded file for {@code ref}: its quant if one is named, else the best-ranked one present. */
    public Optional<LocalModel> find(HubRef ref) {
        return downloaded().stream()
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
