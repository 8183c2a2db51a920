package dev.paddock.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFileTest {
    @TempDir
    Path dir;

    @Test
    void replacesTheWholeFileOwnerOnlyAndLeavesNoTempBehind() throws Exception {
        Path f = dir.resolve("config.yaml");
        Files.writeString(f, "old content that is longer than the new one");
        AtomicFile.write(f, "new".getBytes());
        assertThat(f).hasContent("new");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f)))
                .isEqualTo("rw-------");
        try (var s = Files.list(dir)) {
            assertThat(s).containsExactly(f);
        }
    }

    @Test
    void theWriteForThisBootIsWholeOwnerOnlyAndLeavesNoTempBehindToo() throws Exception {
        Path f = dir.resolve("server.json");
        Files.writeString(f, "{\"pid\": 1, \"and\": \"more than the new record\"}");
        AtomicFile.writeForThisBoot(f, "{}".getBytes());
        assertThat(f).hasContent("{}");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f)))
                .isEqualTo("rw-------");
        try (var s = Files.list(dir)) {
            assertThat(s).containsExactly(f);
        }
    }

    @Test
    void aRecordLeftEmptyByAMachineCrashIsSetAsideWithTheFileNamed() throws Exception {
        Path f = Files.writeString(dir.resolve("server.json"), "");
        var store = new dev.paddock.supervisor.ServerRecordStore(f);
        org.assertj.core.api.Assertions.assertThatIOException()
                .isThrownBy(store::read)
                .withMessageContaining(f.toString())
                .withMessageContaining("moved aside");
        assertThat(dir.resolve("server.json.unreadable")).exists();
        assertThat(store.read()).isEmpty();
    }

    @Test
    void homeLayoutIsCreatedOwnerOnly() throws Exception {
        PaddockHome home = new PaddockHome(dir.resolve("home"));
        home.ensureLayout(home.defaultPresetsDir());
        for (Path p : new Path[] {home.root(), home.logsDir(), home.defaultPresetsDir()}) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(p)))
                    .isEqualTo("rwx------");
        }
    }
}
