package dev.paddock.autostart;

import dev.paddock.config.AtomicFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code ~/Library/LaunchAgents/dev.paddock.plist} with {@code RunAtLoad}: launchd runs it at login. */
public final class MacAutostart implements Autostart {
    static final String LABEL = "dev.paddock";

    private final Path dir;

    public MacAutostart(Path launchAgentsDir) {
        this.dir = launchAgentsDir;
    }

    public Path file() {
        return dir.resolve(LABEL + ".plist");
    }

    /** The plist for {@code launcher}. */
    public static String plist(Path launcher) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" "
                + "\"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n"
                + "<plist version=\"1.0\">\n"
                + "<dict>\n"
                + "  <key>Label</key>\n"
                + "  <string>" + LABEL + "</string>\n"
                + "  <key>ProgramArguments</key>\n"
                + "  <array>\n"
                + "    <string>" + xml(launcher.toString()) + "</string>\n"
                + "    <string>start</string>\n"
                + "  </array>\n"
                + "  <key>RunAtLoad</key>\n"
                + "  <true/>\n"
                + "  <key>ProcessType</key>\n"
                + "  <string>Interactive</string>\n"
                + "</dict>\n"
                + "</plist>\n";
    }

    private static String xml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    @Override
    public void enable(Path launcher) throws IOException {
        Files.createDirectories(dir);
        AtomicFile.write(file(), plist(launcher).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void disable() throws IOException {
        Files.deleteIfExists(file());
    }

    @Override
    public boolean isEnabled() {
        return Files.isRegularFile(file());
    }

    @Override
    public String location() {
        return file().toString();
    }
}
