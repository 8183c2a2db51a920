package dev.paddock.hub;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.paddock.config.AtomicFile;
import dev.paddock.core.ErrorCode;
import dev.paddock.core.PaddockException;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * One file downloaded into place: through {@code FILE.partial}, resuming with {@code Range} and {@code If-Range}
 * (the ETag is kept beside the partial) after a dropped connection, a killed process or a reboot; an ETag that
 * changed upstream starts over. The SHA-256 is computed while the bytes arrive and checked before the atomic rename;
 * a mismatch keeps nothing. One download per file at a time, across threads (a second asker joins) and processes
 * ({@code download_in_progress}). Used for the hub's files and for Ollama's blobs alike.
 */
final class FileDownload {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int RESUMES = 8;

    /** Where one file's bytes come from, and what they must be. */
    interface Remote {
        /** The name progress and messages show. */
        String fileName();

        long size();

        /** The SHA-256 the bytes must have (hex), or null when the source does not say. */
        String sha256();

        /** The GET for the file (redirects to storage are followed; {@code Range} is added to resume). */
        Request.Builder request();

        /** What a 401, 403 or 404 from the source means. */
        PaddockException refused(int status);

        /** Who vouches for the size and digest, for messages: {@code the hub}, {@code Ollama's registry}. */
        String source();

        /**
         * Whether the URL names the bytes by their digest (a registry blob): they cannot change, so a partial
         * resumes without an ETag to vouch for it.
         */
        default boolean contentAddressed() {
            return false;
        }
    }

    /**
     * A body that sends nothing for this long is a dead connection: it is dropped and the download resumes (tests
     * shorten it).
     */
    static volatile java.time.Duration stall = java.time.Duration.ofSeconds(60);

    /** Checks every download's last arrival; one thread for all of them. */
    private static final java.util.concurrent.ScheduledExecutorService STALL_WATCH =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "paddock-download-stall-watch");
                t.setDaemon(true);
                return t;
            });

    /** What arrives is written to the file in pieces of this size. */
    private static final int WRITE_SLICE = 128 << 10;

    private final OkHttpClient http;
    private final Puller.Progress progress;
    /** The downloads under way in this process, by target file. */
    private final ConcurrentHashMap<Path, CompletableFuture<Void>> inProgress = new ConcurrentHashMap<>();

    /**
     * @param http the hub's client; bodies are read through a copy without a read timeout, whose per-read timer
     *     (Okio's, armed and disarmed around every 8 KiB read, waking its watchdog thread each time) cost a pull
     *     a large share of its rate: a body that stalls is dropped after {@link #stall}, checked once a second
     */
    FileDownload(OkHttpClient http, Puller.Progress progress) {
        this.http = http.newBuilder().readTimeout(java.time.Duration.ZERO).build();
        this.progress = progress;
    }

    static Path partial(Path target) {
        return target.resolveSibling(target.getFileName() + ".partial");
    }

    static Path partialInfo(Path target) {
        return target.resolveSibling(target.getFileName() + ".partial.json");
    }

    /**
     * One file, resumable, verified, renamed into place; one download of it at a time. A second asker in this
     * process joins the download under way (and sees its progress, which goes to the same listeners); a download
     * of it by another process is {@code download_in_progress}. The lock file stays in place: deleting it would let
     * a third process lock a new file while the second still holds the old one.
     */
    void download(Remote f, Path target) throws IOException, PaddockException {
        CompletableFuture<Void> mine = new CompletableFuture<>();
        CompletableFuture<Void> running = inProgress.putIfAbsent(target, mine);
        if (running != null) {
            join(running, target);
            return;
        }
        try {
            downloadAlone(f, target);
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
            running.get(); // interruptible: a paused download that waits here stops waiting
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PaddockException(
                    ErrorCode.DOWNLOAD_FAILED,
                    "waiting for " + target.getFileName() + " (downloaded for another request) was stopped");
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof PaddockException p) throw p;
            if (e.getCause() instanceof IOException io) throw io;
            throw new PaddockException(ErrorCode.DOWNLOAD_FAILED, target.getFileName() + ": " + e.getCause());
        }
    }

    private void downloadAlone(Remote f, Path target) throws IOException, PaddockException {
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
                downloadLocked(f, target);
            } finally {
                lock.release();
            }
        }
    }

    private void downloadLocked(Remote f, Path target) throws IOException, PaddockException {
        if (Files.exists(target) && Files.size(target) == f.size()) {
            progress.update(f.fileName(), f.size(), f.size());
            return;
        }
        Path partial = partial(target);
        Path info = partialInfo(target);
        IOException last = null;
        try (Digest digest = new Digest()) {
            for (int attempt = 0; attempt < RESUMES; attempt++) {
                try {
                    if (fetchInto(f, partial, info, digest)) {
                        verifyAndMove(f, partial, info, target, digest);
                        return;
                    }
                } catch (IOException e) {
                    if (Thread.currentThread().isInterrupted()) throw stopped(f);
                    last = e; // a dropped connection: resume from what arrived
                }
            }
        }
        throw new PaddockException(
                ErrorCode.DOWNLOAD_FAILED,
                "downloading " + f.fileName() + " kept failing" + (last == null ? "" : ": " + last.getMessage())
                        + "; run the same pull again to resume");
    }

    /**
     * The error of a download whose thread was interrupted (paused or cancelled): what arrived stays in the partial
     * file, and the next pull of the same file resumes after it.
     */
    private static PaddockException stopped(Remote f) {
        return new PaddockException(
                ErrorCode.DOWNLOAD_FAILED,
                "downloading " + f.fileName() + " was stopped; what arrived is kept and the next pull resumes it");
    }

    /** Appends to the partial what the server sends; true once it holds the whole file. */
    private boolean fetchInto(Remote f, Path partial, Path info, Digest digest) throws IOException, PaddockException {
        long have = Files.exists(partial) ? Files.size(partial) : 0;
        String etag = have > 0 ? readEtag(info) : null;
        if (have > 0 && etag == null && !f.contentAddressed()) have = 0; // a partial we cannot vouch for: start over
        Request.Builder req = f.request();
        if (have > 0) req.header("Range", "bytes=" + have + "-");
        if (have > 0 && etag != null) req.header("If-Range", etag);
        okhttp3.Call call = http.newCall(req.build());
        java.util.concurrent.atomic.AtomicLong lastArrival =
                new java.util.concurrent.atomic.AtomicLong(System.nanoTime());
        var watch = STALL_WATCH.scheduleWithFixedDelay(
                () -> {
                    if (System.nanoTime() - lastArrival.get() > stall.toNanos()) call.cancel();
                },
                1,
                1,
                java.util.concurrent.TimeUnit.SECONDS);
        try (Response r = call.execute()) {
            if (r.code() == 401 || r.code() == 403 || r.code() == 404) throw f.refused(r.code());
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
                int written = 0; // of buf, already in the file
                try {
                    while (true) {
                        int n;
                        try {
                            n = body.read(buf, filled, buf.length - filled);
                        } catch (IOException dropped) {
                            if (filled > 0) { // keep what arrived: the next attempt resumes after it
                                write(out, buf, written, filled);
                                byte[] full = buf;
                                buf = null;
                                digest.submit(full, filled);
                            }
                            throw dropped;
                        }
                        if (n > 0) {
                            filled += n;
                            lastArrival.lazySet(System.nanoTime());
                        }
                        if (Thread.currentThread().isInterrupted()) throw new java.io.InterruptedIOException("stopped");
                        // to the file in slices, while what arrived is still in the processor's cache: a whole 1 MiB
                        // buffer at once wrote at 70 % of the rate (docs/performance.md)
                        if (filled - written >= WRITE_SLICE || (filled > written && (n < 0 || filled == buf.length))) {
                            write(out, buf, written, filled);
                            written = filled;
                        }
                        if (filled == buf.length || (n < 0 && filled > 0)) {
                            byte[] full = buf;
                            buf = null;
                            digest.submit(full, filled); // hashed on the digest's thread meanwhile
                            done += filled;
                            filled = 0;
                            written = 0;
                            buf = digest.borrow();
                            if (done - lastReport >= (1 << 20) || done == f.size()) {
                                progress.update(f.fileName(), done, f.size());
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
        } finally {
            watch.cancel(false);
        }
    }

    /** Bytes {@code from} to {@code to} of {@code buf}, appended to the file. */
    private static void write(FileChannel out, byte[] buf, int from, int to) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(buf, from, to - from);
        while (b.hasRemaining()) out.write(b);
    }

    private void verifyAndMove(Remote f, Path partial, Path info, Path target, Digest digest)
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
                        f.fileName() + " arrived damaged (SHA-256 " + sha + ", " + f.source() + " says " + f.sha256()
                                + "); nothing was kept, pull it again");
            }
        }
        Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Files.deleteIfExists(info);
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
}
