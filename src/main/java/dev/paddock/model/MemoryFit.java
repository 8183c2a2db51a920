package dev.paddock.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Whether a model will fit: its weights (the size of its files) plus the KV cache for the context it will run
 * with, against the memory available now. An estimate only: it warns, it never blocks a load.
 */
public final class MemoryFit {
    private MemoryFit() {}

    /** @param context the tokens of context the server will hold */
    public record Estimate(long weights, long kvCache, long context) {
        public long total() {
            return weights + Math.max(0, kvCache);
        }
    }

    /**
     * @param contextSize the preset's context size, or null for the model's own (what llama-server uses then)
     */
    public static Estimate estimate(Path modelFile, GgufInfo info, Integer contextSize) throws IOException {
        long weights = 0;
        for (Path p : ModelStore.parts(modelFile)) weights += Files.size(p);
        long ctx = contextSize != null && contextSize > 0
                ? contextSize
                : info.contextLength() == null ? 4096 : info.contextLength();
        return new Estimate(weights, info.kvCacheBytes(ctx), ctx);
    }

    /** MemAvailable from /proc/meminfo; empty where there is none. */
    public static OptionalLong availableRam() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemAvailable:")) {
                    return OptionalLong.of(Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or unreadable: no estimate
        }
        return OptionalLong.empty();
    }

    /**
     * Free GPU memory in bytes over every GPU {@code nvidia-smi} (found on {@code pathVariable}) reports; empty
     * without one, or when it does not answer within 3 s.
     */
    public static OptionalLong freeVram(String pathVariable) {
        var smi = dev.paddock.config.PaddockHome.Paths2.onPath("nvidia-smi", pathVariable);
        if (smi.isEmpty()) return OptionalLong.empty();
        try {
            Process p = new ProcessBuilder(
                            smi.get().toString(), "--query-gpu=memory.free", "--format=csv,noheader,nounits")
                    .redirectErrorStream(true)
                    .start();
            // wait first (its few lines fit in the pipe): a hung nvidia-smi must not hold the caller past 3 s
            if (!p.waitFor(3, java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                return OptionalLong.empty();
            }
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            long mib = 0;
            for (String line : out.split("\\R")) {
                if (!line.isBlank()) mib += Long.parseLong(line.trim());
            }
            return OptionalLong.of(mib << 20);
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalLong.empty();
        }
    }

    /**
     * Reads the model's header, estimates what running it with {@code contextSize} needs, and warns when that is
     * more than the memory free now; empty when it fits or no free-memory figure exists here. With {@code gpuLayers}
     * offloaded, the offloaded share is weighed against the free GPU memory {@code nvidia-smi} (on {@code path})
     * reports, the rest against free RAM.
     */
    public static Optional<String> check(String what, Path model, Integer contextSize, Integer gpuLayers, String path)
            throws GgufException, IOException {
        GgufInfo info = GgufReader.read(model);
        Estimate e = estimate(model, info, contextSize);
        if (gpuLayers == null || gpuLayers <= 0) {
            OptionalLong free = availableRam();
            return free.isPresent() ? warning(what, e, free.getAsLong()) : Optional.empty();
        }
        long layers = info.blockCount() == null || info.blockCount() <= 0 ? 1 : info.blockCount();
        double share = Math.min(1.0, gpuLayers / (double) layers);
        long onGpu = (long) (e.total() * share);
        OptionalLong vram = freeVram(path);
        if (vram.isPresent() && onGpu > vram.getAsLong()) {
            return Optional.of(String.format(
                    Locale.ROOT,
                    "%s needs about %.1f GB of GPU memory for %d of its %d layers (with the KV cache for %d tokens)"
                            + " and %.1f GB is free on the GPU: the load may fail (fewer gpu-layers, a smaller quant"
                            + " or context-size would fit better)",
                    what,
                    onGpu / 1e9,
                    Math.min(gpuLayers, layers),
                    layers,
                    e.context(),
                    vram.getAsLong() / 1e9));
        }
        OptionalLong ram = availableRam();
        long inRam = e.total() - onGpu;
        if (ram.isPresent() && inRam > ram.getAsLong()) {
            return warning(what, new Estimate(inRam, 0, e.context()), ram.getAsLong());
        }
        return Optional.empty();
    }

    /** How a model's estimate compares with the memory free now: the mark the Models window shows. */
    public enum Mark {
        /** Needs at most 80 % of what is free. */
        FITS("fits"),
        /** Needs more than 80 % of what is free, but no more than all of it. */
        TIGHT("tight"),
        /** Needs more than is free. */
        WILL_NOT_FIT("will not fit"),
        /** No free-memory figure here, or no estimate. */
        UNKNOWN("?");

        private final String label;

        Mark(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /**
     * The mark for {@code e} against the free RAM and, when {@code nvidia-smi} reports it, the free GPU memory: the
     * better of the two (llama-server offloads what fits on the GPU when told to; what does not runs from RAM).
     */
    public static Mark mark(Estimate e, OptionalLong ram, OptionalLong vram) {
        if (e == null || e.total() <= 0) return Mark.UNKNOWN;
        Mark best = Mark.UNKNOWN;
        for (OptionalLong free : new OptionalLong[] {ram, vram}) {
            if (free.isEmpty()) continue;
            Mark m = e.total() <= free.getAsLong() * 0.8
                    ? Mark.FITS
                    : e.total() <= free.getAsLong() ? Mark.TIGHT : Mark.WILL_NOT_FIT;
            if (best == Mark.UNKNOWN || m.ordinal() < best.ordinal()) best = m;
        }
        return best;
    }

    /** A warning when {@code e} needs more than {@code available}; empty when it fits. */
    public static Optional<String> warning(String what, Estimate e, long available) {
        if (e.total() <= available) return Optional.empty();
        return Optional.of(String.format(
                Locale.ROOT,
                "%s needs about %.1f GB (weights %.1f GB + KV cache %.1f GB for %d tokens of context) and %.1f GB"
                        + " of memory is free: it may swap or fail (a smaller quant or context-size would fit better)",
                what,
                e.total() / 1e9,
                e.weights() / 1e9,
                Math.max(0, e.kvCache()) / 1e9,
                e.context(),
                available / 1e9));
    }
}
