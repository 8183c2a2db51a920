package dev.paddock.core;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;

/**
 * Prints the end of a rotating log and optionally follows it, across rotations: when {@code llama.log} is renamed
 * to {@code llama.log.1} and a new one created, the rest of the old file is read first, then any file rotated in
 * between, then the new one from its start, so no line is lost unless more rotations happen between two polls
 * than files are kept.
 *
 * <p>A file is told from its successor by the file system's key (inode) where there is one; Windows has none, so
 * there a file is known by its first bytes: a rotated file keeps them, a new one starts with other lines.
 */
public final class LogFollower {
    private static final long POLL_MS = 50;
    private static final int HEAD = 256;

    private final Path file;
    private final OutputStream out;
    private final boolean byContent;

    public LogFollower(Path file, OutputStream out) {
        this(file, out, !hasFileKeys(file));
    }

    /** @param byContent know files by their first bytes rather than by the file system's key */
    public LogFollower(Path file, OutputStream out, boolean byContent) {
        this.file = file;
        this.out = out;
        this.byContent = byContent;
    }

    private static boolean hasFileKeys(Path file) {
        try {
            Path probe = Files.exists(file) ? file : file.toAbsolutePath().getParent();
            return Files.readAttributes(probe, BasicFileAttributes.class).fileKey() != null;
        } catch (IOException e) {
            return true;
        }
    }

    /** Writes the last {@code lines} lines of the file; returns the offset just after them (the file's size). */
    public long tail(int lines) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            long start = startOfLastLines(ch, size, lines);
            copy(ch, start, size);
            return size;
        }
    }

    /** Follows the file from {@code offset} until interrupted. */
    public void follow(long offset) throws IOException, InterruptedException {
        FileChannel ch = openWhenPresent(file);
        Object key = key(file);
        long pos = Math.min(offset, ch.size());
        try {
            while (!Thread.currentThread().isInterrupted()) {
                pos = copy(ch, pos, ch.size());
                Object now = keyOrNull(file);
                boolean rotated = now != null && !Objects.equals(now, key);
                if (rotated && key instanceof Head h && now instanceof Head n) {
                    rotated = !n.continues(h, sizeOrZero(file), pos);
                    if (!rotated && n.bytes().length > h.bytes().length) key = now; // it grew: remember more of it
                }
                if (rotated) {
                    pos = copy(ch, pos, ch.size()); // the writer closed it before the rename: this is the rest
                    ch.close();
                    for (Path between : rotatedSince(key)) {
                        try (FileChannel b = FileChannel.open(between, StandardOpenOption.READ)) {
                            copy(b, 0, b.size());
                        } catch (NoSuchFileException e) {
                            // rotated away meanwhile; lost to the window, as it would be to anyone
                        }
                    }
                    ch = openWhenPresent(file);
                    key = key(file);
                    pos = 0;
                    continue;
                }
                if (now != null && ch.size() < pos) pos = 0; // truncated in place
                Thread.sleep(POLL_MS);
            }
        } finally {
            ch.close();
        }
    }

    /**
     * The rotated files newer than the one with {@code oldKey}, oldest first: if it is now {@code llama.log.3},
     * those are {@code .2} and {@code .1}.
     */
    private java.util.List<Path> rotatedSince(Object oldKey) throws IOException {
        java.util.List<Path> newer = new java.util.ArrayList<>();
        for (int i = 1; i < 1000; i++) {
            Path p = file.resolveSibling(file.getFileName() + "." + i);
            Object k = keyOrNull(p);
            if (k == null || k.equals(oldKey) || oldKey instanceof Head h && k instanceof Head n && h.sameFileAs(n))
                break;
            newer.add(0, p);
        }
        return newer;
    }

    private long copy(FileChannel ch, long from, long to) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
        long pos = from;
        while (pos < to) {
            buf.clear();
            int n = ch.read(buf, pos);
            if (n <= 0) break;
            out.write(buf.array(), 0, n);
            pos += n;
        }
        out.flush();
        return pos;
    }

    private static long startOfLastLines(FileChannel ch, long size, int lines) throws IOException {
        if (lines <= 0) return size;
        ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
        long end = size;
        int newlines = 0;
        // a final newline ends the last line rather than starting an empty one
        long pos = size;
        while (pos > 0) {
            int len = (int) Math.min(buf.capacity(), pos);
            pos -= len;
            buf.clear().limit(len);
            ch.read(buf, pos);
            for (int i = len - 1; i >= 0; i--) {
                if (buf.get(i) == '\n' && pos + i != end - 1) {
                    if (++newlines == lines) return pos + i + 1;
                }
            }
        }
        return 0;
    }

    private static FileChannel openWhenPresent(Path p) throws IOException, InterruptedException {
        while (true) {
            try {
                return FileChannel.open(p, StandardOpenOption.READ);
            } catch (NoSuchFileException e) {
                Thread.sleep(POLL_MS); // mid-rotation: renamed, not yet created
            }
        }
    }

    private Object key(Path p) throws IOException {
        if (!byContent)
            return Files.readAttributes(p, BasicFileAttributes.class).fileKey();
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(HEAD);
            while (b.hasRemaining() && ch.read(b) > 0) {
                // the first bytes, as many as there are yet
            }
            return new Head(java.util.Arrays.copyOf(b.array(), b.position()));
        }
    }

    /**
     * A file known by its first bytes. A file still shorter than {@link #HEAD} grows: it is the same file as a
     * longer one that starts with its bytes.
     */
    private record Head(byte[] bytes) {
        boolean sameFileAs(Head other) {
            int n = Math.min(bytes.length, other.bytes.length);
            return java.util.Arrays.equals(bytes, 0, n, other.bytes, 0, n);
        }

        /**
         * Whether this (the file at the log's name now, {@code size} bytes long) is still {@code before}, the file
         * being read at {@code pos}: it starts with the same bytes and has not shrunk below what was read (a log
         * only grows; a shorter file with the same start is a new one whose first bytes happen to match so far).
         */
        boolean continues(Head before, long size, long pos) {
            return sameFileAs(before) && size >= pos;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Head h && java.util.Arrays.equals(bytes, h.bytes);
        }

        @Override
        public int hashCode() {
            return java.util.Arrays.hashCode(bytes);
        }
    }

    private static long sizeOrZero(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return 0;
        }
    }

    private Object keyOrNull(Path p) throws IOException {
        try {
            return key(p);
        } catch (NoSuchFileException e) {
            return null;
        }
    }
}
