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
import dev.paddock.model.Quant;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.Request;
import okhttp3.Response;

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
    private static final int RESUMES = 8;

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
    /** The downloads under way in this process, by target file. */
    private final ConcurrentHashMap<Path, CompletableFuture<Void>> inProgress = new ConcurrentHashMap<>();

    public Puller(HubClient hub, ModelStore store, Progress progress, FreeSpace freeSpace) {
        this.hub = hub;
        this.store = store;
        this.progress = progress;
        this.freeSpace = freeSpace;
    }

    /** The model for {@code ref}: the downloaded one if present, else pulled now. */
    @Override
    public LocalModel fetch(HubRef ref) throws PaddockException {
        java.util.Optional<LocalModel> have = store.find(ref);
        return have.isPresent() ? have.get() : pull(ref);
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
                Path partial = partial(target);
                needed += f.size() - (Files.exists(partial) ? Files.size(partial) : 0);
            }
            long free = freeSpace.usable(dir);
            if (needed > free) {
                throw new PaddockException(
                        ErrorCode.DOWNLOAD_FAILED,
                        "h:" + ref + " needs " + gb(needed) + " free in " + dir + " and there is " + gb(free)
                                + "; free some space (what was downloaded so far is kept for later)");
            }
            for (HubClient.RepoFile f : chosen) download(repoId, f, dir.resolve(fileName(f)));
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

    private static String fileName(HubClient.RepoFile f) {
        return Path.of(f.path()).getFileName().toString();
    }

    static Path partial(Path target) {
        return target.resolveSibling(target.getFileName() + ".partial");
    }

    private static Path partialInfo(Path target) {
        return target.resolveSibling(target.getFileName() + ".partial.json");
    }

    /**
     * One file, resumable, verified, renamed into place; one download of it at a time. A second asker in this
     * process joins the download under way (and sees its progress, which goes to the same listeners); a download
     * of it by another process is {@code download_in_progress}. The lock file stays in place: deleting it would let
     * a third process lock a new file while the second still holds the old one.
     */
    private void download(String repoId, HubClient.RepoFile f, Path target) throws IOException, PaddockException {
        CompletableFuture<Void> mine = new CompletableFuture<>();
        CompletableFuture<Void> running = inProgress.putIfAbsent(target, mine);
        if (running != null) {
            join(running, target);
            return;
        }
        try {
            downloadAlone(repoId, f, target);
            mine.complete(null);
        } catch (IOException | PaddockException | RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            inProgress.remove(target, mine);
        }
    }

    /** Waits for the download of {@code target} under way in this process; its failure is this one's. */
    private static void join(CompletableFuture<Void> running, Path target) throws IOException, PaddockException {
        try {
            running.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof PaddockException p) throw p;
            if (e.getCause() instanceof IOException io) throw io;
            throw new PaddockException(ErrorCode.DOWNLOAD_FAILED, target.getFileName() + ": " + e.getCause());
        }
    }

    private void downloadAlone(String repoId, HubClient.RepoFile f, Path target) throws IOException, PaddockException {
        Path lockFile = target.resolveSibling(target.getFileName() + ".lock");
        try (FileChannel lockChannel = FileChannel.open(
                lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FileLock lock;
            try {
                lock = lockChannel.tryLock();
            } catch (java.nio.channels.OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                String holder = new String(Files.readAllBytes(lockFile), StandardCharsets.US_ASCII).trim();
                throw new PaddockException(
                        ErrorCode.DOWNLOAD_IN_PROGRESS,
                        target.getFileName() + " is being downloaded by another process"
                                + (holder.matches("\\d+") ? " (pid " + holder + ")" : "")
                                + "; wait for it to finish (or stop it), then pull again");
            }
            try {
                lockChannel.truncate(0);
                lockChannel.write(
                        ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
                downloadLocked(repoId, f, target);
            } finally {
                lock.release();
            }
        }
    }

    private void downloadLocked(String repoId, HubClient.RepoFile f, Path target) throws IOException, PaddockException {
        if (Files.exists(target) && Files.size(target) == f.size()) {
            progress.update(fileName(f), f.size(), f.size());
            return;
        }
        Path partial = partial(target);
        Path info = partialInfo(target);
        IOException last = null;
        try (Digest digest = new Digest()) {
            for (int attempt = 0; attempt < RESUMES; attempt++) {
                try {
                    if (fetchInto(repoId, f, partial, info, digest)) {
                        verifyAndMove(f, partial, info, target, digest);
                        return;
                    }
                } catch (IOException e) {
                    last = e; // a dropped connection: resume from what arrived
                }
            }
        }
        throw new PaddockException(
                ErrorCode.DOWNLOAD_FAILED,
                "downloading " + fileName(f) + " kept failing" + (last == null ? "" : ": " + last.getMessage())
                        + "; run the same pull again to resume");
    }

    /** Appends to the partial what the server sends; true once it holds the whole file. */
    private boolean fetchInto(String repoId, HubClient.RepoFile f, Path partial, Path info, Digest digest)
            throws IOException, PaddockException {
        long have = Files.exists(partial) ? Files.size(partial) : 0;
        String etag = have > 0 ? readEtag(info) : null;
        if (have > 0 && etag == null) have = 0; // a partial we cannot vouch for: start over
        Request.Builder req = hub.request(hub.fileUrl(repoId, f.path()));
        if (have > 0) req.header("Range", "bytes=" + have + "-").header("If-Range", etag);
        try (Response r = hub.http().newCall(req.build()).execute()) {
            if (r.code() == 401 || r.code() == 403 || r.code() == 404) throw hub.failure(r.code(), repoId);
            if (r.code() == 416 && have >= f.size()) return true;
            if (r.code() != 200 && r.code() != 206) throw new IOException("HTTP " + r.code());
            boolean append = r.code() == 206;
            if (!append) have = 0; // the file changed upstream (or the server ignores ranges): from the start
            digest.catchUp(partial, have);
            String newEtag = r.header("ETag");
            if (newEtag != null) writeEtag(info, newEtag);
            try (FileChannel out = FileChannel.open(
                            partial,
                            StandardOpenOption.CREATE,
                            StandardOpenOption.WRITE,
                            append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING);
                    InputStream body = r.body().byteStream()) {
                long done = have;
                long lastReport = 0;
                byte[] buf = digest.borrow();
                int filled = 0;
                try {
                    while (true) {
                        int n = body.read(buf, filled, buf.length - filled);
                        if (n > 0) filled += n;
                        if (filled == buf.length || (n < 0 && filled > 0)) {
                            ByteBuffer b = ByteBuffer.wrap(buf, 0, filled);
                            while (b.hasRemaining()) out.write(b);
                            byte[] written = buf;
                            buf = null;
                            digest.submit(written, filled); // hashed on the digest's thread meanwhile
                            done += filled;
                            filled = 0;
                            buf = digest.borrow();
                            if (done - lastReport >= (1 << 20) || done == f.size()) {
                                progress.update(fileName(f), done, f.size());
                                lastReport = done;
                            }
                        }
                        if (n < 0) break;
                    }
                } finally {
                    if (buf != null) digest.giveBack(buf); // a dropped connection must not shrink the pool
                }
                out.force(false);
                return done >= f.size();
            }
        }
    }

    private void verifyAndMove(HubClient.RepoFile f, Path partial, Path info, Path target, Digest digest)
            throws IOException, PaddockException {
        long size = Files.size(partial);
        if (size != f.size()) {
            throw new IOException("got " + size + " bytes of " + f.size());
        }
        if (f.sha256() != null) {
            String sha = digest.hex();
            if (!sha.equalsIgnoreCase(f.sha256())) {
                Files.deleteIfExists(partial);
                Files.deleteIfExists(info);
                throw new PaddockException(
                        ErrorCode.DOWNLOAD_FAILED,
                        fileName(f) + " arrived damaged (SHA-256 " + sha + ", the hub says " + f.sha256()
                                + "); nothing was kept, pull it again");
            }
        }
        Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Files.deleteIfExists(info);
    }

    /**
     * The SHA-256 of the partial, kept up to date as bytes arrive, so the finished file is never read again. The
     * hashing runs on a thread of its own, a few 1 MiB buffers behind the download (SHA-256 is the slowest step
     * on a CPU without SHA instructions). Only a resume in a new process (after a kill or a reboot) reads the bytes
     * already on disk, once.
     */
    static final class Digest implements AutoCloseable {
        private static final int BUFFERS = 6;
        private static final int SIZE = 1 << 20;
        private static final byte[] STOP = new byte[0];

        private record Chunk(byte[] buf, int length, java.util.concurrent.CountDownLatch barrier) {}

        private final MessageDigest md;
        private final java.util.concurrent.BlockingQueue<byte[]> free =
                new java.util.concurrent.ArrayBlockingQueue<>(BUFFERS);
        private final java.util.concurrent.BlockingQueue<Chunk> work =
                new java.util.concurrent.ArrayBlockingQueue<>(BUFFERS + 2);
        private final Thread hasher;
        private long hashed; // hasher thread; read after a barrier

        Digest() {
            try {
                md = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
            for (int i = 0; i < BUFFERS; i++) free.add(new byte[SIZE]);
            hasher = new Thread(this::hashLoop, "paddock-sha256");
            hasher.setDaemon(true);
            hasher.start();
        }

        private void hashLoop() {
            try {
                while (true) {
                    Chunk c = work.take();
                    if (c.buf() == STOP) return;
                    if (c.barrier() != null) {
                        c.barrier().countDown();
                        continue;
                    }
                    md.update(c.buf(), 0, c.length());
                    hashed += c.length();
                    free.put(c.buf());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** A buffer to fill; waits while the hasher is behind (so memory stays flat). */
        byte[] borrow() throws IOException {
            try {
                return free.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted");
            }
        }

        void giveBack(byte[] buf) {
            free.add(buf);
        }

        /** Hashes the first {@code n} bytes of {@code buf} (on the hasher thread), then returns the buffer. */
        void submit(byte[] buf, int n) throws IOException {
            put(new Chunk(buf, n, null));
        }

        /** Waits until everything submitted is hashed. */
        private void settle() throws IOException {
            var latch = new java.util.concurrent.CountDownLatch(1);
            put(new Chunk(null, 0, latch));
            try {
                latch.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted");
            }
        }

        private void put(Chunk c) throws IOException {
            try {
                work.put(c);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted");
            }
        }

        /** Makes the digest cover exactly the first {@code have} bytes of {@code partial}. */
        void catchUp(Path partial, long have) throws IOException {
            settle();
            if (hashed == have) return;
            md.reset();
            hashed = 0;
            if (have == 0) return;
            try (FileChannel ch = FileChannel.open(partial, StandardOpenOption.READ)) {
                ByteBuffer b = ByteBuffer.allocate(SIZE);
                while (hashed < have) {
                    b.clear().limit((int) Math.min(b.capacity(), have - hashed));
                    int n = ch.read(b, hashed);
                    if (n <= 0) throw new IOException("the partial file shrank");
                    md.update(b.array(), 0, n);
                    hashed += n;
                }
            }
        }

        String hex() throws IOException {
            settle();
            return HexFormat.of().formatHex(md.digest());
        }

        @Override
        public void close() {
            try {
                work.put(new Chunk(STOP, 0, null)); // the hasher drains the queue, so this never waits long
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static String readEtag(Path info) {
        try {
            return JSON.readTree(Files.readString(info, StandardCharsets.UTF_8))
                    .path("etag")
                    .asText(null);
        } catch (IOException e) {
            return null;
        }
    }

    private static void writeEtag(Path info, String etag) throws IOException {
        ObjectNode o = JSON.createObjectNode().put("etag", etag);
        AtomicFile.write(info, JSON.writeValueAsBytes(o));
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
