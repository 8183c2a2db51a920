package dev.paddock.autostart;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The {@code Paddock} value under {@code HKCU\Software\Microsoft\Windows\CurrentVersion\Run}, set with reg.exe. */
public final class WindowsAutostart implements Autostart {
    static final String KEY = "HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run";
    static final String VALUE = "Paddock";

    /** Runs a reg.exe command line; tests pass one that records the commands instead. */
    public interface Registry {
        /** @return reg.exe's exit code and output */
        Result run(List<String> command) throws IOException;

        record Result(int exit, String output) {}

        Registry REG_EXE = command -> {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            try {
                if (!p.waitFor(30, TimeUnit.SECONDS)) throw new IOException("reg.exe did not answer");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted");
            }
            return new Result(p.exitValue(), out);
        };
    }

    private final Registry registry;

    public WindowsAutostart(Registry registry) {
        this.registry = registry;
    }

    /** The value's data: the launcher, quoted, then {@code start}. */
    public static String data(Path launcher) {
        return "\"" + launcher + "\" start";
    }

    static List<String> addCommand(Path launcher) {
        return List.of("reg", "add", KEY, "/v", VALUE, "/t", "REG_SZ", "/d", data(launcher), "/f");
    }

    static List<String> deleteCommand() {
        return List.of("reg", "delete", KEY, "/v", VALUE, "/f");
    }

    static List<String> queryCommand() {
        return List.of("reg", "query", KEY, "/v", VALUE);
    }

    @Override
    public void enable(Path launcher) throws IOException {
        Registry.Result r = registry.run(addCommand(launcher));
        if (r.exit() != 0) throw new IOException("reg add failed: " + r.output().trim());
    }

    @Override
    public void disable() throws IOException {
        if (isEnabled()) {
            Registry.Result r = registry.run(deleteCommand());
            if (r.exit() != 0)
                throw new IOException("reg delete failed: " + r.output().trim());
        }
    }

    @Override
    public boolean isEnabled() throws IOException {
        return registry.run(queryCommand()).exit() == 0;
    }

    @Override
    public String location() {
        return KEY + "\\" + VALUE;
    }
}
