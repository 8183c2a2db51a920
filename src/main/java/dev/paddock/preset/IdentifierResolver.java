package dev.paddock.preset;

import dev.paddock.config.PaddockHome;
import dev.paddock.core.ErrorCode;
import dev.paddock.core.PaddockException;
import dev.paddock.model.HubRef;
import dev.paddock.model.LocalModel;
import dev.paddock.model.ModelFetcher;
import dev.paddock.model.ModelStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Turns an identifier into a preset with a model file on disk. A bare word is matched against presets, then
 * downloaded models: exact, then a unique prefix, then a unique suffix, then a unique substring; anything else is
 * an error that lists the candidates.
 */
public final class IdentifierResolver {
    private final Supplier<PresetCatalog> presets;
    private final ModelStore store;
    private final ModelFetcher fetcher;

    /** @param presets read on every call, so a live-reloaded catalog is always the one used */
    public IdentifierResolver(Supplier<PresetCatalog> presets, ModelStore store, ModelFetcher fetcher) {
        this.presets = presets;
        this.store = store;
        this.fetcher = fetcher;
    }

    public ResolvedPreset resolve(String identifier) throws PaddockException {
        Identifier id = Identifier.parse(identifier);
        if (id instanceof Identifier.PresetName p) return resolve(presetNamed(p.name()));
        if (id instanceof Identifier.Hub h) {
            LocalModel m = hubModel(h.ref());
            String name = m.isDownloaded() ? m.stem() : m.name();
            return new ResolvedPreset(presetFor(m, safeName(name), "h:" + h.ref()), m.file());
        }
        if (id instanceof Identifier.Ollama o) {
            var local = store.findOllama(o.ref().toString());
            LocalModel m = local.isPresent() ? local.get() : fetcher.fetch(o.ref());
            return new ResolvedPreset(presetFor(runnable(m), safeName(o.ref().toString()), "o:" + o.ref()), m.file());
        }
        if (id instanceof Identifier.File f) {
            Path file = PaddockHome.Paths2.expandHome(f.path()).toAbsolutePath().normalize();
            requireFile(file, "f:" + f.path());
            String stem = file.getFileName().toString().replaceFirst("\\.gguf$", "");
            return new ResolvedPreset(Preset.forModel(safeName(stem), "f:" + file), file);
        }
        return resolveWord(((Identifier.Word) id).word());
    }

    /** Finds the model file a preset names; {@code model_not_found} when it is not on disk. */
    public ResolvedPreset resolve(Preset preset) throws PaddockException {
        ModelSpec spec;
        try {
            spec = ModelSpec.parse(preset.model());
        } catch (IllegalArgumentException e) {
            throw new PaddockException(
                    ErrorCode.INVALID_PRESET,
                    "preset '" + preset.name() + "' (" + preset.origin() + "): " + e.getMessage());
        }
        if (spec instanceof ModelSpec.Hub h)
            return new ResolvedPreset(preset, hubModel(h.ref()).file());
        if (spec instanceof ModelSpec.Ollama o) {
            var local = store.findOllama(o.ref().toString());
            return new ResolvedPreset(
                    preset,
                    runnable(local.isPresent() ? local.get() : fetcher.fetch(o.ref()))
                            .file());
        }
        Path file = PaddockHome.Paths2.expandHome(((ModelSpec.File) spec).path());
        if (!file.isAbsolute()) {
            Path base = preset.source() == null
                    ? Path.of("")
                    : preset.source().toAbsolutePath().getParent();
            file = base.resolve(file);
        }
        file = file.toAbsolutePath().normalize();
        if (!Files.isRegularFile(file)) {
            throw new PaddockException(
                    ErrorCode.MODEL_NOT_FOUND,
                    "preset '" + preset.name() + "' (" + preset.origin() + "): model file " + file
                            + " does not exist; fix 'model:' or put the file there");
        }
        return new ResolvedPreset(preset, file);
    }

    private Preset presetNamed(String name) throws PaddockException {
        PresetCatalog catalog = presets.get();
        var found = catalog.byNameOrAlias(name);
        if (found.isPresent()) return found.get();
        throw new PaddockException(
                ErrorCode.PRESET_NOT_FOUND, "no preset '" + name + "'" + didYouMean(name, catalog.names()));
    }

    private LocalModel hubModel(HubRef ref) throws PaddockException {
        var local = store.find(ref);
        return local.isPresent() ? local.get() : fetcher.fetch(ref);
    }

    private ResolvedPreset resolveWord(String word) throws PaddockException {
        List<Preset> presetList = presets.get().presets();
        Preset p = match(word, presetList, IdentifierResolver::namesOf, "preset");
        if (p != null) return resolve(p);
        List<LocalModel> models = store.list();
        LocalModel m = match(word, models, IdentifierResolver::namesOf, "model");
        if (m != null) {
            String name = m.source() == LocalModel.Source.DOWNLOADED || m.source() == LocalModel.Source.FOLDER
                    ? m.stem()
                    : m.name();
            return new ResolvedPreset(presetFor(runnable(m), safeName(name), "f:" + m.file()), m.file());
        }
        List<String> all = new ArrayList<>(
                presetList.stream().flatMap(x -> namesOf(x).stream()).toList());
        models.forEach(x -> all.add(namesOf(x).get(0)));
        if (word.contains("/") && word.toLowerCase(Locale.ROOT).endsWith(".gguf")) {
            throw new PaddockException(
                    ErrorCode.INVALID_IDENTIFIER, "no model is named '" + word + "'; a path needs f: (f:" + word + ")");
        }
        String hint =
                word.contains("/") && !word.contains(":") ? " (to download it from Hugging Face: h:" + word + ")" : "";
        throw new PaddockException(
                ErrorCode.PRESET_NOT_FOUND,
                "no preset or downloaded model '" + word + "'" + didYouMean(word, all) + hint);
    }

    /** A preset's names: its own, and its alias (the name llama-server and the gateway's clients know it by). */
    private static List<String> namesOf(Preset p) {
        return p.alias() == null ? List.of(p.name()) : List.of(p.name(), p.alias());
    }

    /**
     * A model's names, the one {@code ls} shows first: a downloaded one's file stem (and {@code ORG/REPO/FILE}), one
     * found elsewhere by its tool's name ({@code ORG/REPO:QUANT}, {@code NAME:TAG}, and {@code NAME} for an Ollama
     * model tagged {@code latest}), a file in the user's folders by its stem.
     */
    private static List<String> namesOf(LocalModel m) {
        return switch (m.source()) {
            case DOWNLOADED -> m.name().startsWith("o:")
                    ? List.of(m.name().substring(2), m.stem())
                    : List.of(m.stem(), m.name());
            case FOLDER -> List.of(m.stem());
            case OLLAMA -> m.name().endsWith(":latest")
                    ? List.of(m.name(), m.name().substring(0, m.name().length() - ":latest".length()))
                    : List.of(m.name());
            default -> List.of(m.name(), m.stem());
        };
    }

    /** The model, when llama-server can run it; {@code model_not_found} saying why when it cannot. */
    private static LocalModel runnable(LocalModel m) throws PaddockException {
        if (m.problem() == null) return m;
        throw new PaddockException(
                ErrorCode.MODEL_NOT_FOUND, "model '" + m.name() + "' (" + m.file() + ") cannot run: " + m.problem());
    }

    /** A preset for a model named directly, with its projector ({@code --mmproj}) when it has one. */
    private static Preset presetFor(LocalModel m, String name, String model) {
        List<String> args = m.projector() == null
                ? List.of()
                : List.of("--mmproj", m.projector().toString());
        return Preset.forModel(name, model, args);
    }

    /**
     * The one candidate that matches at the first level where any matches (by any of its names).
     *
     * @return null when nothing matches at any level
     * @throws PaddockException {@code preset_not_found} listing the candidates when a level matches more than one
     */
    private static <T> T match(String word, List<T> candidates, Function<T, List<String>> names, String kind)
            throws PaddockException {
        String w = word.toLowerCase(Locale.ROOT);
        List<BiPredicate<String, String>> levels =
                List.of(String::equalsIgnoreCase, String::startsWith, String::endsWith, String::contains);
        for (BiPredicate<String, String> test : levels) {
            boolean exact = test == levels.get(0);
            List<T> hits = candidates.stream()
                    .filter(c -> names.apply(c).stream()
                            .anyMatch(n -> exact ? n.equalsIgnoreCase(word) : test.test(n.toLowerCase(Locale.ROOT), w)))
                    .toList();
            if (hits.size() == 1) return hits.get(0);
            if (hits.size() > 1) {
                List<T> sameCase =
                        hits.stream().filter(c -> names.apply(c).contains(word)).toList();
                if (sameCase.size() == 1) return sameCase.get(0);
                throw new PaddockException(
                        ErrorCode.PRESET_NOT_FOUND,
                        "'" + word + "' matches more than one " + kind + ": "
                                + String.join(
                                        ", ",
                                        hits.stream()
                                                .map(c -> names.apply(c).get(0))
                                                .sorted()
                                                .toList()) + "; say which");
            }
        }
        return null;
    }

    /** {@code " (did you mean 'qwen'?)"}, or the list of names when none is close; empty when there are none. */
    static String didYouMean(String word, List<String> names) {
        if (names.isEmpty()) return "; there are none yet";
        String w = word.toLowerCase(Locale.ROOT);
        int limit = Math.max(2, w.length() / 3);
        Set<String> close = new LinkedHashSet<>();
        names.stream()
                .filter(n -> distance(w, n.toLowerCase(Locale.ROOT)) <= limit
                        || n.toLowerCase(Locale.ROOT).contains(w))
                .sorted(Comparator.comparingInt(n -> distance(w, n.toLowerCase(Locale.ROOT))))
                .limit(3)
                .forEach(close::add);
        if (!close.isEmpty()) return " (did you mean " + quoteJoin(close, " or ") + "?)";
        return "; known: " + quoteJoin(names.stream().sorted().limit(12).toList(), ", ");
    }

    private static String quoteJoin(Iterable<String> names, String sep) {
        List<String> q = new ArrayList<>();
        names.forEach(n -> q.add("'" + n + "'"));
        return String.join(sep, q);
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    private static void requireFile(Path file, String asked) throws PaddockException {
        if (!Files.isRegularFile(file)) {
            throw new PaddockException(ErrorCode.MODEL_NOT_FOUND, "no model file at " + file + " (from " + asked + ")");
        }
    }

    /** A preset name made from a file name: unusable characters become '-'. */
    private static String safeName(String stem) {
        String s = stem.replaceAll("[^A-Za-z0-9._-]", "-").replaceFirst("^[^A-Za-z0-9]+", "");
        if (s.isEmpty()) s = "model";
        return s.length() > 64 ? s.substring(0, 64) : s;
    }
}
