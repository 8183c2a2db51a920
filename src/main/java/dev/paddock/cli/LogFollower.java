package dev.paddock.cli;

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
 */
final class LogFollower {
    private static final long POLL_MS = 50;

    private final Path file;
    private final OutputStream out;

    LogFollower(Path file, OutputStream out) {
        this.file = file;
        this.out = out;
    }

    /** Writes the last {@code lines} lines of the file; returns the offset just after them (the file's size). */
    long tail(int lines) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            long start = startOfLastLines(ch, size, lines);
            copy(ch, start, size);
            return size;
        }
    }

    /** Follows the file from {@code offset} until interrupted. */
    void follow(long offset) throws IOException, InterruptedException {
        FileChannel ch = openWhenPresent(file);
        Object key = key(file);
        long pos = Math.min(offset, ch.size());
        try {
            while (!Thread.currentThread().isInterrupted()) {
                pos = copy(ch, pos, ch.size());
                Object now = keyOrNull(file);
                if (now != null && !Objects.equals(now, key)) {
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
            if (k == null || k.equals(oldKey)) break;
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

    private static Object key(Path p) throws IOException {
        return Files.readAttributes(p, BasicFileAttributes.class).fileKey();
    }

    private static Object keyOrNull(Path p) throws IOException {
        try {
            return key(p);
        } catch (NoSuchFileException e) {
            return null;
        }
    }
}
