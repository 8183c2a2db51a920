package dev.paddock.supervisor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Runs {@code llama-server --version}: what {@code paddock doctor} and the preferences' live check do. */
public final class ServerVersion {
    private ServerVersion() {}

    /** The version line, or what is wrong with the binary. */
    public static Result check(Path binary) {
        if (!Files.isRegularFile(binary)) return new Result(false, binary + " does not exist");
        if (!Files.isExecutable(binary)) return new Result(false, binary + " is not executable (chmod +x)");
        try {
            Process p = new ProcessBuilder(binary.toString(), "--version")
                    .redirectErrorStream(true)
                    .start();
            p.getOutputStream().close();
            if (!p.waitFor(15, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(false, "--version did not answer within 15 s");
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String version =
                    out.lines().filter(l -> l.startsWith("version")).findFirst().orElse(null);
            if (p.exitValue() != 0 || version == null) {
                return new Result(
                        false, "--version exited " + p.exitValue() + " without a version; not a llama-server?");
            }
            return new Result(true, version.trim());
        } catch (IOException e) {
            return new Result(false, "cannot run it: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(false, "interrupted");
        }
    }

    /** @param message the version line when ok, else what is wrong */
    public record Result(boolean ok, String message) {}
}
