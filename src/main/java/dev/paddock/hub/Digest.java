package dev.paddock.hub;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The SHA-256 of the partial, kept up to date as bytes arrive, so the finished file is never read again. The
 * hashing runs on a thread of its own, a few 1 MiB buffers behind the download (SHA-256 is the slowest step
 * on a CPU without SHA instructions). Only a resume in a new process (after a kill or a reboot) reads the bytes
 * already on disk, once.
 */
final class Digest implements AutoCloseable {
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
