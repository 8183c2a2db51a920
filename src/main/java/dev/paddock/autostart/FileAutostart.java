package dev.paddock.autostart;

import dev.paddock.config.AtomicFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** A login item that is one file (Linux's desktop entry, macOS's LaunchAgent): written atomically, deleted. */
abstract class FileAutostart implements Autostart {
    private final Path dir;

    FileAutostart(Path dir) {
        this.dir = dir;
    }

    /** The entry's file name in the folder. */
    abstract String fileName();

    /** The entry's text for {@code launcher}. */
    abstract String text(Path launcher);

    public Path file() {
        return dir.resolve(fileName());
    }

    @Override
    public void enable(Path launcher) throws IOException {
        Files.createDirectories(dir);
        AtomicFile.write(file(), text(launcher).getBytes(StandardCharsets.UTF_8));
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
