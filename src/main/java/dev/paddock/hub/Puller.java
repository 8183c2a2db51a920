package dev.paddock.hub;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.paddock.config.AtomicFile;
import dev.paddock.core.ErrorCode;
import dev.paddock.core.PaddockException;
import dev.paddock.model.HubRef;
import dev.paddock.model.LocalModel;
import dev.paddock.model.ModelFetcher;
import dev.paddock.model.ModelStore;
import dev.paddock.model.OllamaRef;
import dev.paddock.model.Quant;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code paddock pull}: downloads a hub model into {@code models/ORG/REPO/FILE.gguf} through {@code FILE.partial},
 * resuming with {@code Range} and {@code If-Range} (the ETag is kept beside the partial) after a dropped
 * connection, a killed process or a reboot; an ETag that changed upstream starts over. The SHA-256 is computed
 * while the bytes arrive and checked against the hub's before the atomic rename; a mismatch keeps nothing. Split
 * models download every part. One download per file at a time, across threads and processes; free disk space is
 * checked first.
 */
public final class Puller implements ModelFetcher {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SPLIT = Pattern.compile("(.*)-(\\d{5})-of-(\\d{5})\\.gguf");

    /** Told how far the pull has come; called often, from the pulling thread. */
    public interface Progress {
        void update(String file, long done, long total);

        Progress NONE = (f, d, t) -> {};
    }

    /** Free bytes where the models go; tests simulate a full disk. */
    public interface FreeSpace {
        long usable(Path dir) throws IOException;

        FreeSpace REAL = dir -> Files.getFileStore(dir).getUsableSpace();
    }

    private final HubClient hub;
    private final ModelStore store;
    private final Progress progress;
    private final FreeSpace freeSpace;
    private final FileDownload downloads;
    private final OllamaRegistry ollama;

    public Puller(HubClient hub, ModelStore store, Progress progress, FreeSpace freeSpace) {
        this.hub = hub;
        this.store = store;
        this.progress = progress;
        this.freeSpace = freeSpace;
        this.downloads = new FileDownload(hub.http(), progress);
        this.ollama = new OllamaRegistry(hub.settings().ollamaRegistry(), hub.http());
    }

    /** The model for {@code ref}: the downloaded one if present, else pulled now. */
    @Override
    public LocalModel fetch(HubRef ref) throws PaddockException {
        java.util.Optional<LocalModel> have = store.find(ref);
        return have.isPresent() ? have.get() : pull(ref);
    }

    /** The Ollama model for {@code ref}: on this machine already (Ollama's own store or pulled before), else pulled now. */
    @Override
    public LocalModel fetch(OllamaRef ref) throws PaddockException {
        java.util.Optional<LocalModel> have = store.findOllama(ref.toString());
        return have.isPresent() ? have.get() : pull(ref);
    }

    /**
     * Downloads {@code o:NAME[:TAG]} from Ollama's registry into {@code models/ollama/NAME/TAG/}: the weights (and
     * the projector, when the model has one), each resumable and verified against the digest that names it, and the
     * manifest beside them.
     */
    public LocalModel pull(OllamaRef ref) throws PaddockException {
        OllamaRegistry.Manifest manifest = ollama.manifest(ref);
        OllamaRegistry.Layer model = manifest.first(OllamaRegistry.MODEL_LAYER);
        if (model == null || model.sha256() == null) {
            throw new PaddockException(
                    ErrorCode.MODEL_NOT_FOUND,
                    "o:" + ref + " has no GGUF weights in its manifest (a model for Ollama's own engine only?)");
        }
        OllamaRegistry.Layer projector = manifest.first(OllamaRegistry.PROJECTOR_LAYER);
        Path target = store.ollamaTarget(ref);
        Path dir = target.getParent();
        try {
            Files.createDirectories(dir);
            long needed = 0;
            for (OllamaRegistry.Layer l : projector == null ? List.of(model) : List.of(model, projector)) {
                Path t = l == model ? target : dir.resolve("mmproj.gguf");
                if (Files.exists(t)) continue;
                Path partial = FileDownload.partial(t);
                needed += l.size() - (Files.exists(partial) ? Files.size(partial) : 0);
            }
            long free = freeSpace.usable(dir);
            if (needed > free) {
                throw new PaddockException(
                        ErrorCode.DOWNLOAD_FAILED,
                        "o:" + ref + " needs " + gb(needed) + " free in " + dir + " and there is " + gb(free)
                                + "; free some space (what was downloaded so far is kept for later)");
            }
            downloads.download(ollama.blob(ref, model, target.getFileName().toString()), target);
            if (projector != null && projector.sha256() != null)
                downloads.download(ollama.blob(ref, projector, "mmproj.gguf"), dir.resolve("mmproj.gguf"));
            AtomicFile.write(dir.resolve("manifest.json"), manifest.raw());
        } catch (IOException e) {
            throw new PaddockException(ErrorCode.DOWNLOAD_FAILED, "o:" + ref + ": " + e.getMessage());
        }
        return store.findOllama(ref.toString())
                .orElseThrow(() -> new PaddockException(
                        ErrorCode.DOWNLOAD_FAILED, "o:" + ref + " was downloaded but is not where it should be"));
    }

    /** Downloads {@code ref} (the best quant when none is named); files already complete are kept as they are. */
    public LocalModel pull(HubRef ref) throws PaddockException {
        String repoId = ref.org() + "/" + ref.repo();
        hub.requireOnline("h:" + ref);
        List<HubClient.RepoFile> files = hub.files(repoId);
        List<HubClient.RepoFile> chosen = choose(ref, files);
        Path dir = store.root().resolve(ref.org()).resolve(ref.repo());
        try {
            Files.createDirectories(dir);
            long needed = 0;
            for (HubClient.RepoFile f : chosen) {
                Path target = dir.resolve(fileName(f));
                if (Files.exists(target)) continue;
                Path partial = FileDownload.partial(target);
                needed += f.size() - (Files.exists(partial) ? Files.size(partial) : 0);
            }
            long free = freeSpace.usable(dir);
            if (needed > free) {
                throw new PaddockException(
                        ErrorCode.DOWNLOAD_FAILED,
                        "h:" + ref + " needs " + gb(needed) + " free in " + dir + " and there is " + gb(free)
                                + "; free some space (what was downloaded so far is kept for later)");
            }
            for (HubClient.RepoFile f : chosen) downloads.download(hubFile(repoId, f), dir.resolve(fileName(f)));
            record(dir, repoId, chosen);
        } catch (IOException e) {
            throw new PaddockException(ErrorCode.DOWNLOAD_FAILED, "h:" + ref + ": " + e.getMessage());
        }
        Path first = dir.resolve(fileName(chosen.get(0)));
        return new LocalModel(
                ref.org(),
                ref.repo(),
                first,
                Quant.detect(first.getFileName().toString()).orElse(null));
    }

    /**
     * One quantization a hub repository offers, as a pull names it.
     *
     * @param identifier {@code h:ORG/REPO:QUANT}
     * @param size the bytes of all its parts
     * @param parts how many files it is split into
     */
    public record Offer(String identifier, String quant, long size, int parts) {}

    /** The quantizations {@code ORG/REPO} offers (projectors left out), smallest first. */
    public List<Offer> offers(String repoId) throws PaddockException {
        // grouped as a pull chooses (one model per file stem, its split parts together), then one per quant: the
        // one a pull of h:REPO:QUANT fetches (the first stem in order), so its size is what the download will be
        Map<String, List<HubClient.RepoFile>> byStem = new java.util.TreeMap<>();
        for (HubClient.RepoFile f : hub.files(repoId)) {
            String name = f.path();
            if (!name.toLowerCase(Locale.ROOT).endsWith(".gguf") || name.contains("mmproj")) continue;
            Matcher m = SPLIT.matcher(name);
            byStem.computeIfAbsent(m.matches() ? m.group(1) : name, k -> new ArrayList<>())
                    .add(f);
        }
        Map<String, List<HubClient.RepoFile>> byQuant = new LinkedHashMap<>();
        byStem.forEach((stem, files) -> Quant.detect(files.get(0).path())
                .ifPresent(quant -> byQuant.putIfAbsent(quant, files))); // no quant: a pull cannot name it
        List<Offer> out = new ArrayList<>();
        byQuant.forEach((quant, files) -> out.add(new Offer(
                "h:" + repoId + ":" + quant,
                quant,
                files.stream().mapToLong(HubClient.RepoFile::size).sum(),
                files.size())));
        out.sort(Comparator.comparingLong(Offer::size));
        return out;
    }

    /**
     * The folder a pull of {@code identifier} ({@code h:ORG/REPO[:QUANT]} or {@code o:NAME[:TAG]}) writes into.
     *
     * @throws IllegalArgumentException for anything else, saying what is expected
     */
    public Path folderOf(String identifier) {
        if (identifier.startsWith("h:")) {
            HubRef ref = HubRef.parse(identifier.substring(2));
            return store.root().resolve(ref.org()).resolve(ref.repo());
        }
        if (identifier.startsWith("o:"))
            return store.ollamaTarget(OllamaRef.parse(identifier.substring(2))).getParent();
        throw new IllegalArgumentException("'" + identifier + "' is neither h:ORG/REPO[:QUANT] nor o:NAME[:TAG]");
    }

    /** Pulls {@code h:ORG/REPO[:QUANT]} or {@code o:NAME[:TAG]}; see {@link #pull(HubRef)}, {@link #pull(OllamaRef)}. */
    public LocalModel pull(String identifier) throws PaddockException {
        try {
            if (identifier.startsWith("h:")) return pull(HubRef.parse(identifier.substring(2)));
            if (identifier.startsWith("o:")) return pull(OllamaRef.parse(identifier.substring(2)));
        } catch (IllegalArgumentException e) {
            throw new PaddockException(ErrorCode.INVALID_IDENTIFIER, e.getMessage());
        }
        throw new PaddockException(
                ErrorCode.INVALID_IDENTIFIER, "'" + identifier + "' is neither h:ORG/REPO[:QUANT] nor o:NAME[:TAG]");
    }

    /** The hub this pulls from (searches, repository listings). */
    public HubClient hub() {
        return hub;
    }

    /** The files of the best (or the asked) quant: one file, or every part of a split model. */
    static List<HubClient.RepoFile> choose(HubRef ref, List<HubClient.RepoFile> files) throws PaddockException {
        Map<String, List<HubClient.RepoFile>> models = new LinkedHashMap<>();
        for (HubClient.RepoFile f : files) {
            String name = f.path();
            if (!name.toLowerCase(Locale.ROOT).endsWith(".gguf") || name.contains("mmproj")) continue;
            Matcher m = SPLIT.matcher(name);
            models.computeIfAbsent(m.matches() ? m.group(1) : name, k -> new ArrayList<>())
                    .add(f);
        }
        if (models.isEmpty()) {
            throw new PaddockException(
                    ErrorCode.MODEL_NOT_FOUND, "h:" + ref.org() + "/" + ref.repo() + " has no GGUF files");
        }
        Comparator<Map.Entry<String, List<HubClient.RepoFile>>> best = Comparator.comparingInt(
                e -> Quant.rank(Quant.detect(e.getValue().get(0).path()).orElse(null)));
        var candidates = models.entrySet().stream()
                .filter(e -> ref.quant() == null
                        || Quant.detect(e.getValue().get(0).path())
                                .map(q -> q.equalsIgnoreCase(ref.quant()))
                                .orElse(e.getKey()
                                        .toLowerCase(Locale.ROOT)
                                        .contains(ref.quant().toLowerCase(Locale.ROOT))))
                .sorted(best.thenComparing(Map.Entry::getKey))
                .toList();
        if (candidates.isEmpty()) {
            List<String> quants = models.values().stream()
                    .map(l -> Quant.detect(l.get(0).path()).orElse(l.get(0).path()))
                    .distinct()
                    .toList();
            throw new PaddockException(
                    ErrorCode.MODEL_NOT_FOUND,
                    "h:" + ref.org() + "/" + ref.repo() + " has no " + ref.quant() + " file; it has "
                            + String.join(", ", quants));
        }
        List<HubClient.RepoFile> parts = new ArrayList<>(candidates.get(0).getValue());
        parts.sort(Comparator.comparing(HubClient.RepoFile::path));
        return parts;
    }

    /** A file of a hub repository, as a download's source. */
    private FileDownload.Remote hubFile(String repoId, HubClient.RepoFile f) {
        return new FileDownload.Remote() {
            @Override
            public String fileName() {
                return Puller.fileName(f);
            }

            @Override
            public long size() {
                return f.size();
            }

            @Override
            public String sha256() {
                return f.sha256();
            }

            @Override
            public okhttp3.Request.Builder request() {
                return hub.request(hub.fileUrl(repoId, f.path()));
            }

            @Override
            public PaddockException refused(int status) {
                return hub.failure(status, repoId);
            }

            @Override
            public String source() {
                return "the hub";
            }
        };
    }

    private static String fileName(HubClient.RepoFile f) {
        return Path.of(f.path()).getFileName().toString();
    }

    /** {@code models/ORG/REPO/.metadata.json}: one entry per downloaded file. */
    private static void record(Path dir, String repoId, List<HubClient.RepoFile> files) throws IOException {
        Path meta = dir.resolve(".metadata.json");
        ObjectNode root = Files.exists(meta) ? (ObjectNode) JSON.readTree(meta.toFile()) : JSON.createObjectNode();
        ObjectNode entries = root.has("files") ? (ObjectNode) root.get("files") : root.putObject("files");
        for (HubClient.RepoFile f : files) {
            String name = fileName(f);
            entries.putObject(name)
                    .put("repo", repoId)
                    .put("file", f.path())
                    .put("quant", Quant.detect(name).orElse(null))
                    .put("size", f.size())
                    .put("sha256", f.sha256())
                    .put("downloaded", Instant.now().toString());
        }
        AtomicFile.write(meta, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
    }

    private static String gb(long bytes) {
        return String.format(Locale.ROOT, "%.1f GB", bytes / 1e9);
    }
}
