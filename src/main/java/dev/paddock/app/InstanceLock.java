package dev.paddock.app;

import dev.paddock.config.AtomicFile;
import dev.paddock.config.PaddockHome;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * One resident Paddock per {@code PADDOCK_HOME}: an OS lock on {@code paddock.lock}, which the OS drops when the
 * process dies however it dies, so a stale lock cannot exist. The pid file is only for people and scripts.
 */
final class InstanceLock implements AutoCloseable {
    private final PaddockHome home;
    private final FileChannel channel;
    private final FileLock lock;

    private InstanceLock(PaddockHome home, FileChannel channel, FileLock lock) {
        this.home = home;
        this.channel = channel;
        this.lock = lock;
    }

    /** The lock, with the pid file written; empty when another process holds it. */
    static Optional<InstanceLock> acquire(PaddockHome home) throws IOException {
        FileChannel ch = FileChannel.open(home.lockFile(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        AtomicFile.OwnerOnly.restrictFile(home.lockFile());
        FileLock l;
        try {
            l = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            l = null;
        }
        if (l == null) {
            ch.close();
            return Optional.empty();
        }
        // a killed predecessor's address is stale; gone before the pid file names us, so `start` never sees it
        Files.deleteIfExists(home.jmxUrlFile());
        AtomicFile.write(home.pidFile(), (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII));
        return Optional.of(new InstanceLock(home, ch, l));
    }

    @Override
    public void close() throws IOException {
        Files.deleteIfExists(home.pidFile());
        lock.release();
        channel.close();
    }
}
