package dev.paddock.config;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes a file so that readers, and a crash at any moment, see either the old content or the new one, never
 * half of either: the bytes go to a temp file beside the target, are forced to disk, then renamed over it. (A
 * {@link #writeForThisBoot} may also leave no file for a moment.)
 */
public final class AtomicFile {
    private AtomicFile() {}

    public static void write(Path target, byte[] content) throws IOException {
        write(target, content, true);
    }

    /**
     * As {@link #write}, without forcing the bytes to disk: still whole or absent for anyone reading and across a
     * crash of Paddock, but a crash of the machine may leave the file empty. For records of running processes, which
     * a machine crash ends anyway, and which are written on a switch's critical path: on ext4 the force, and the
     * delete of a forced file, cost milliseconds each. On a POSIX file system the old file is deleted before the new
     * one takes its name, as ext4 starts writing out a file that is renamed over another (its guard for programs
     * that do not force): a reader in between finds no file, as it would before the first write.
     */
    public static void writeForThisBoot(Path target, byte[] content) throws IOException {
        write(target, content, false);
    }

    private static void write(Path target, byte[] content, boolean durable) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
        try {
            OwnerOnly.restrictFile(tmp);
            // the temp file is new and empty: no truncation, which would also make ext4 write it out on close
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.write(java.nio.ByteBuffer.wrap(content));
                if (durable) ch.force(true);
            }
            // not on Windows (no POSIX file system), where another program may hold the old file open
            if (!durable && OwnerOnly.posix(target)) Files.deleteIfExists(target);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** File permissions for everything Paddock writes: only its owner may read or change it. */
    public static final class OwnerOnly {
        private OwnerOnly() {}

        public static void restrictFile(Path p) throws IOException {
            if (posix(p)) Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
        }

        public static void restrictDirectory(Path p) throws IOException {
            if (posix(p)) Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
        }

        private static boolean posix(Path p) {
            return p.getFileSystem().supportedFileAttributeViews().contains("posix");
        }
    }
}
