package dev.paddock.supervisor;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.paddock.config.AtomicFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/** Reads and writes {@code server.json} atomically. */
public final class ServerRecordStore {
    private final Path file;
    private final ObjectMapper json = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public ServerRecordStore(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    /** Writes the record whole; not forced to disk (a machine crash ends the server it describes). */
    public void save(ServerRecord record) throws IOException {
        AtomicFile.writeForThisBoot(file, json.writerWithDefaultPrettyPrinter().writeValueAsBytes(record));
    }

    /**
     * The record, or empty when there is none or it cannot be read (an unreadable record, as a machine crash may
     * leave one, is set aside).
     */
    public Optional<ServerRecord> read() throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        try {
            return Optional.of(json.readValue(bytes, ServerRecord.class));
        } catch (IOException e) {
            Files.move(
                    file,
                    file.resolveSibling(file.getFileName() + ".unreadable"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            throw new IOException(file + " could not be read and was moved aside: " + e.getMessage(), e);
        }
    }

    public void clear() throws IOException {
        Files.deleteIfExists(file);
    }
}
