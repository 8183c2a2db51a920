package dev.paddock.app;

import dev.paddock.supervisor.Supervisor.RouterInput;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;

/**
 * Where the servers Paddock starts read their commands: a FIFO in the home on POSIX systems (kept across runs, so a
 * server an earlier Paddock left behind is stopped through it too), the process's pipe on Windows.
 */
final class RouterInputs {
    private RouterInputs() {}

    /** The input for this system, or null when there is none: servers then load without a percentage. */
    static RouterInput prepare(Path fifo, Logger log) {
        if (System.getProperty("os.name", "").startsWith("Windows")) return new RouterInput.Pipe();
        try {
            if (isFifo(fifo)) return new RouterInput.Fifo(fifo);
            Files.deleteIfExists(fifo); // not a FIFO: left by someone else, and of no use
            Process p = new ProcessBuilder("mkfifo", "-m", "600", fifo.toString())
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes()).strip();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0 || !isFifo(fifo)) {
                log.warn("cannot make the FIFO {} ({}): llama-server loads without a percentage", fifo, out);
                return null;
            }
            return new RouterInput.Fifo(fifo);
        } catch (IOException e) {
            log.warn("cannot make the FIFO {}: {}; llama-server loads without a percentage", fifo, e.getMessage());
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static boolean isFifo(Path path) {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                    .isOther();
        } catch (IOException e) {
            return false;
        }
    }
}
