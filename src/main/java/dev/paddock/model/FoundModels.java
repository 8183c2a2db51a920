package dev.paddock.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The models other tools already downloaded, found where those tools keep them and used in place (never copied):
 * the Hugging Face cache (which llama.cpp's {@code -hf} uses too), llama.cpp's older flat cache, LM Studio's models
 * folder and Ollama's store. Each is read-only to Paddock.
 */
public final class FoundModels {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LATER_SPLIT_PART = Pattern.compile(".*-(\\d{5})-of-\\d{5}\\.gguf");
    private static final Pattern COMMIT = Pattern.compile("[0-9a-fA-F]{40}");
    static final String OLLAMA_MODEL = "application/vnd.ollama.image.model";
    static final String OLLAMA_PROJECTOR = "application/vnd.ollama.image.projector";
    static final String OLLAMA_HOST = "registry.ollama.ai";

    /**
     * Where each tool keeps its models on this machine; null where a tool has no folder here.
     *
     * @param hubCaches Hugging Face cache folders ({@code models--ORG--REPO/…}), first the one llama.cpp uses
     * @param flatCaches llama.cpp's older cache folders of {@code ORG_REPO_FILE.gguf} files
     * @param lmStudio LM Studio's models folders ({@code PUBLISHER/MODEL/FILE.gguf})
     * @param ollama Ollama's models folder ({@code manifests/…}, {@code blobs/…})
     */
    public record Places(List<Path> hubCaches, List<Path> flatCaches, List<Path> lmStudio, Path ollama) {
        public Places {
            hubCaches = List.copyOf(hubCaches);
            flatCaches = List.copyOf(flatCaches);
            lmStudio = List.copyOf(lmStudio);
        }

        /** Nowhere: nothing is found (tests, tools that want Paddock's own models only). */
        public static Places none() {
            return new Places(List.of(), List.of(), List.of(), null);
        }

        /**
         * The places on this machine, as each tool finds them: {@code LLAMA_CACHE}, {@code HF_HUB_CACHE},
         * {@code HF_HOME}, {@code XDG_CACHE_HOME} and {@code ~/.cache} for the hub cache (llama.cpp's order);
         * {@code ~/.lmstudio/models} (and the older {@code ~/.cache/lm-studio/models}); {@code OLLAMA_MODELS}, else
         * {@code ~/.ollama/models}.
         */
        public static Places of(Map<String, String> env, Path home, boolean hub, boolean lmStudio, boolean ollama) {
            List<Path> hubs = new ArrayList<>();
            List<Path> flats = new ArrayList<>();
            if (hub) {
                String llamaCache = env.get("LLAMA_CACHE");
                if (set(llamaCache)) {
                    hubs.add(Path.of(llamaCache));
                    flats.add(Path.of(llamaCache));
                }
                if (set(env.get("HF_HUB_CACHE"))) hubs.add(Path.of(env.get("HF_HUB_CACHE")));
                else if (set(env.get("HUGGINGFACE_HUB_CACHE"))) hubs.add(Path.of(env.get("HUGGINGFACE_HUB_CACHE")));
                else if (set(env.get("HF_HOME"))) hubs.add(Path.of(env.get("HF_HOME"), "hub"));
                else if (set(env.get("XDG_CACHE_HOME")))
                    hubs.add(Path.of(env.get("XDG_CACHE_HOME"), "huggingface", "hub"));
                else hubs.add(home.resolve(".cache/huggingface/hub"));
                String xdg = env.get("XDG_CACHE_HOME");
                flats.add(set(xdg) ? Path.of(xdg, "llama.cpp") : home.resolve(".cache/llama.cpp"));
            }
            List<Path> lm = new ArrayList<>();
            if (lmStudio) lm.add(lmStudioModels(home));
            Path ol = null;
            if (ollama) {
                if (set(env.get("OLLAMA_MODELS"))) ol = Path.of(env.get("OLLAMA_MODELS"));
                else if (Files.isDirectory(home.resolve(".ollama/models"))) ol = home.resolve(".ollama/models");
                else if (Files.isReadable(SERVICE_OLLAMA)) ol = SERVICE_OLLAMA; // Linux: the ollama service's own
                else ol = home.resolve(".ollama/models");
            }
            return new Places(distinct(hubs), distinct(flats), distinct(lm), ol);
        }

        /** Where the Linux installer's {@code ollama} service keeps its models. */
        private static final Path SERVICE_OLLAMA = Path.of("/usr/share/ollama/.ollama/models");

        /**
         * LM Studio's models folder, found as LM Studio finds it: its home is named in {@code ~/.lmstudio-home-pointer},
         * else {@code ~/.cache/lm-studio} (older installs) if there, else {@code ~/.lmstudio}; the models are in its
         * {@code settings.json}'s {@code downloadsFolder}, else {@code models} under that home.
         */
        static Path lmStudioModels(Path home) {
            Path lmHome = home.resolve(".lmstudio");
            try {
                Path pointer = home.resolve(".lmstudio-home-pointer");
                if (Files.isRegularFile(pointer))
                    lmHome = Path.of(Files.readString(pointer).trim());
                else if (Files.isDirectory(home.resolve(".cache/lm-studio"))) lmHome = home.resolve(".cache/lm-studio");
                Path settings = lmHome.resolve("settings.json");
                if (Files.isRegularFile(settings)) {
                    JsonNode folder = JSON.readTree(settings.toFile()).path("downloadsFolder");
                    if (folder.isTextual() && !folder.asText().isBlank()) return Path.of(folder.asText());
                }
            } catch (IOException | RuntimeException e) {
                // what cannot be read points nowhere new: the default folder
            }
            return lmHome.resolve("models");
        }

        private static boolean set(String v) {
            return v != null && !v.isBlank();
        }

        private static List<Path> distinct(List<Path> paths) {
            return List.copyOf(new LinkedHashSet<>(
                    paths.stream().map(p -> p.toAbsolutePath().normalize()).toList()));
        }
    }

    private final Places places;

    public FoundModels(Places places) {
        this.places = places;
    }

    /** Every model found, each once (by its real file), in the order: hub cache, flat cache, LM Studio, Ollama. */
    public List<LocalModel> list() {
        List<LocalModel> out = new ArrayList<>();
        Set<Path> seen = new java.util.HashSet<>();
        for (Path hub : places.hubCaches()) hubCache(hub, out, seen);
        for (Path flat : places.flatCaches()) flatCache(flat, out, seen);
        for (Path lm : places.lmStudio()) lmStudio(lm, out, seen);
        if (places.ollama() != null) ollama(places.ollama(), out, seen);
        return out;
    }

    // ---- the Hugging Face cache ---------------------------------------------------------------------------------

    /** {@code models--ORG--REPO/snapshots/REV/…/FILE.gguf} for the revision {@code refs/main} names. */
    private static void hubCache(Path root, List<LocalModel> out, Set<Path> seen) {
        for (Path repoDir : children(root)) {
            String folder = repoDir.getFileName().toString();
            if (!folder.startsWith("models--")) continue;
            String repoId = folder.substring("models--".length()).replace("--", "/");
            int slash = repoId.indexOf('/');
            if (slash <= 0 || repoId.indexOf('/', slash + 1) >= 0) continue;
            Optional<Path> snapshot = snapshot(repoDir);
            if (snapshot.isEmpty()) continue;
            List<Path> ggufs = ggufsUnder(snapshot.get(), 3);
            Path projector = projectorAmong(ggufs);
            String org = repoId.substring(0, slash);
            String repo = repoId.substring(slash + 1);
            for (Path f : ggufs) {
                if (isProjector(f) || !isFirstPart(f) || !seen.add(real(f))) continue;
                String quant = Quant.detect(f.getFileName().toString()).orElse(null);
                out.add(new LocalModel(
                        org,
                        repo,
                        f,
                        quant,
                        LocalModel.Source.HF_CACHE,
                        repoId + ":" + tag(f, quant),
                        projector,
                        problem(f)));
            }
        }
    }

    /** The snapshot {@code refs/main} names, else the one any other ref names. */
    private static Optional<Path> snapshot(Path repoDir) {
        List<Path> refs = new ArrayList<>(children(repoDir.resolve("refs")));
        refs.sort((a, b) -> a.getFileName().toString().equals("main")
                ? -1
                : b.getFileName().toString().equals("main") ? 1 : 0);
        for (Path ref : refs) {
            try {
                String commit = Files.readString(ref, StandardCharsets.US_ASCII).trim();
                Path snap = repoDir.resolve("snapshots").resolve(commit);
                if (COMMIT.matcher(commit).matches() && Files.isDirectory(snap)) return Optional.of(snap);
            } catch (IOException e) {
                // an unreadable ref: try the next
            }
        }
        return Optional.empty();
    }

    // ---- llama.cpp's older flat cache ---------------------------------------------------------------------------

    /**
     * {@code ORG_REPO_FILE.gguf} files (llama.cpp before it took the hub cache's layout). The repository is
     * recovered where its name ends in {@code -GGUF}, as hub repositories of GGUF files mostly do.
     */
    private static void flatCache(Path dir, List<LocalModel> out, Set<Path> seen) {
        for (Path f : children(dir)) {
            String n = f.getFileName().toString();
            if (!n.endsWith(".gguf") || !Files.isRegularFile(f) || isProjector(f) || !isFirstPart(f)) continue;
            if (!seen.add(real(f))) continue;
            String quant = Quant.detect(n).orElse(null);
            int gguf = n.toUpperCase(Locale.ROOT).indexOf("-GGUF_");
            int us = n.indexOf('_');
            String org = "", repo = "";
            String name = stem(f);
            if (gguf > 0 && us > 0 && us < gguf) {
                org = n.substring(0, us);
                repo = n.substring(us + 1, gguf + 5);
                name = org + "/" + repo + ":" + tag(f, quant);
            }
            out.add(new LocalModel(org, repo, f, quant, LocalModel.Source.LLAMA_CACHE, name, null, problem(f)));
        }
    }

    // ---- LM Studio ------------------------------------------------------------------------------------------

    /** {@code PUBLISHER/MODEL/FILE.gguf}; a {@code mmproj-…} file beside a model is its projector. */
    private static void lmStudio(Path root, List<LocalModel> out, Set<Path> seen) {
        for (Path publisher : children(root)) {
            for (Path model : children(publisher)) {
                List<Path> ggufs = children(model).stream()
                        .filter(p -> p.getFileName().toString().endsWith(".gguf") && Files.isRegularFile(p))
                        .toList();
                Path projector = projectorAmong(ggufs);
                for (Path f : ggufs) {
                    if (isProjector(f) || !isFirstPart(f) || !seen.add(real(f))) continue;
                    String quant = Quant.detect(f.getFileName().toString()).orElse(null);
                    String id = publisher.getFileName() + "/" + model.getFileName();
                    out.add(new LocalModel(
                            publisher.getFileName().toString(),
                            model.getFileName().toString(),
                            f,
                            quant,
                            LocalModel.Source.LM_STUDIO,
                            id + ":" + tag(f, quant),
                            projector,
                            problem(f)));
                }
            }
        }
    }

    // ---- Ollama ---------------------------------------------------------------------------------------------

    /**
     * {@code manifests/HOST/NAMESPACE/NAME/TAG}: JSON whose layer of media type {@code
     * application/vnd.ollama.image.model} names the weights ({@code blobs/sha256-HEX}) and {@code …image.projector}
     * the projector. Named {@code NAME:TAG} in Ollama's library, {@code NAMESPACE/NAME:TAG} elsewhere on its
     * registry, {@code HOST/NAMESPACE/NAME:TAG} on another host (such as {@code hf.co}).
     */
    private static void ollama(Path root, List<LocalModel> out, Set<Path> seen) {
        Path manifests = root.resolve("manifests");
        for (Path host : children(manifests)) {
            for (Path namespace : children(host)) {
                for (Path name : children(namespace)) {
                    for (Path tag : children(name)) {
                        if (!Files.isRegularFile(tag)) continue;
                        ollamaModel(root, host, namespace, name, tag).ifPresent(m -> {
                            if (seen.add(real(m.file()))) out.add(m);
                        });
                    }
                }
            }
        }
    }

    private static Optional<LocalModel> ollamaModel(Path root, Path host, Path namespace, Path name, Path tag) {
        JsonNode manifest;
        try {
            manifest = JSON.readTree(Files.readAllBytes(tag));
        } catch (IOException e) {
            return Optional.empty(); // not a manifest Paddock can read
        }
        Path weights = null;
        Path projector = null;
        for (JsonNode layer : manifest.path("layers")) {
            Path blob = blob(root, layer.path("digest").asText());
            if (blob == null) continue;
            String type = layer.path("mediaType").asText();
            if (type.equals(OLLAMA_MODEL) && weights == null) weights = blob;
            else if (type.equals(OLLAMA_PROJECTOR) && projector == null) projector = blob;
        }
        if (weights == null || !Files.isRegularFile(weights)) return Optional.empty();
        String h = host.getFileName().toString();
        String ns = namespace.getFileName().toString();
        String full = (h.equals(OLLAMA_HOST) ? "" : h + "/")
                + (h.equals(OLLAMA_HOST) && ns.equals("library") ? "" : ns + "/")
                + name.getFileName() + ":" + tag.getFileName();
        String problem = ollamaProblem(weights);
        return Optional.of(new LocalModel(
                ns,
                name.getFileName().toString(),
                weights,
                tag.getFileName().toString(),
                LocalModel.Source.OLLAMA,
                full,
                projector,
                problem));
    }

    /** {@code blobs/sha256-HEX} for the digest {@code sha256:HEX}; null for anything else. */
    static Path blob(Path root, String digest) {
        if (!digest.matches("sha256:[0-9a-f]{64}")) return null;
        return root.resolve("blobs").resolve("sha256-" + digest.substring("sha256:".length()));
    }

    /**
     * Architectures Ollama's own engine writes under names llama.cpp does not have (its {@code qwen2vl} is Ollama's
     * {@code qwen25vl}, its {@code deepseek2-ocr} Ollama's {@code deepseekocr}).
     */
    private static final Set<String> OLLAMA_ONLY_ARCHITECTURES =
            Set.of("qwen25vl", "mllama", "deepseekocr", "glmocr", "glm4moelite");

    /**
     * Why an Ollama model would not load in llama-server, as far as its header tells: an architecture only Ollama's
     * engine has, or a vision tower inside the weights file (llama-server reads one only from a separate projector,
     * {@code --mmproj}; Ollama converts some models into one file).
     */
    static String ollamaProblem(Path weights) {
        GgufInfo g;
        try {
            g = GgufReader.read(weights);
        } catch (GgufException e) {
            return e.getMessage();
        }
        if (OLLAMA_ONLY_ARCHITECTURES.contains(g.architecture()))
            return "its architecture '" + g.architecture() + "' is Ollama's own; llama.cpp does not have it"
                    + " (run it in Ollama, or get a GGUF made for llama.cpp)";
        if (g.visionTensors() > 0)
            return "its vision tower (" + g.visionTensors() + " tensors) is inside the weights file, which"
                    + " llama-server does not read; run it in Ollama, or get a GGUF with a separate mmproj";
        return null;
    }

    // ---- shared ---------------------------------------------------------------------------------------------

    /**
     * The tag a file goes by after {@code ORG/REPO:}, as llama.cpp's {@code -hf} takes it: its quant, with the
     * {@code UD-} of Unsloth's dynamic quants ({@code gemma-3-4b-it-UD-Q4_K_XL.gguf} is {@code UD-Q4_K_XL}); the
     * file's stem when no quant shows.
     */
    static String tag(Path f, String quant) {
        if (quant == null) return stem(f);
        String stem = stem(f).toUpperCase(Locale.ROOT);
        int at = stem.lastIndexOf(quant.toUpperCase(Locale.ROOT));
        return at >= 3 && stem.startsWith("UD-", at - 3) ? "UD-" + quant : quant;
    }

    /** Why the file cannot be run, as far as its header tells: unreadable or not GGUF. Null when it looks fine. */
    private static String problem(Path f) {
        try {
            GgufReader.read(f);
            return null;
        } catch (GgufException e) {
            return e.getMessage();
        }
    }

    private static List<Path> ggufsUnder(Path dir, int depth) {
        try (Stream<Path> s = Files.walk(dir, depth)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".gguf") && Files.isRegularFile(p))
                    .sorted()
                    .toList();
        } catch (IOException | java.io.UncheckedIOException e) {
            return List.of();
        }
    }

    private static Path projectorAmong(List<Path> files) {
        List<Path> p = files.stream().filter(FoundModels::isProjector).toList();
        return p.size() == 1 ? p.get(0) : null;
    }

    static boolean isProjector(Path f) {
        return f.getFileName().toString().toLowerCase(Locale.ROOT).contains("mmproj");
    }

    private static boolean isFirstPart(Path f) {
        var m = LATER_SPLIT_PART.matcher(f.getFileName().toString());
        return !m.matches() || m.group(1).equals("00001");
    }

    private static String stem(Path f) {
        String n = f.getFileName().toString();
        return n.endsWith(".gguf") ? n.substring(0, n.length() - 5) : n;
    }

    private static Path real(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            return p.toAbsolutePath().normalize();
        }
    }

    private static List<Path> children(Path dir) {
        if (dir == null || !Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        } catch (IOException | java.io.UncheckedIOException e) {
            return List.of();
        }
    }
}
