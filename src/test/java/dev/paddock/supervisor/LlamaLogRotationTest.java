package dev.paddock.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.paddock.testing.SupervisorFixture;
import dev.paddock.testing.TestRig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LlamaLogRotationTest {
    private static final long MAX_SIZE = 64 * 1024;
    private static final int MAX_FILES = 2;
    private static final int LINES = 20_000;

    @TempDir
    Path dir;

    @Test
    void aFloodingServerIsRotatedWithinTheCapAndKeepsRawLines() throws Exception {
        Path fake = TestRig.fakeServerScript(dir);
        Path model = Files.writeString(dir.resolve("m.gguf"), "x");
        Path logs = dir.resolve("logs");
        try (SupervisorFixture f = new SupervisorFixture(dir, MAX_SIZE, MAX_FILES)) {
            f.supervisor
                    .load(SupervisorFixture.spec(
                            "flood",
                            fake,
                            model,
                            TestRig.freePort(),
                            Duration.ofSeconds(2),
                            "--fake-flood-lines",
                            Integer.toString(LINES)))
                    .join();
            String last = "flood line " + (LINES - 1) + " ";
            await().atMost(Duration.ofSeconds(60))
                    // mid-rotation the file is briefly renamed and not yet recreated
                    .ignoreException(java.nio.file.NoSuchFileException.class)
                    .until(() -> Files.readAllLines(logs.resolve("llama.log")).stream()
                            .anyMatch(l -> l.startsWith(last)));
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(logs)) {
            files = s.sorted().toList();
        }
        assertThat(files)
                .extracting(p -> p.getFileName().toString())
                .containsExactly("llama.log", "llama.log.1", "llama.log.2");
        long flooded = LINES * 90L;
        assertThat(flooded).as("the flood is far larger than the cap").isGreaterThan(10 * MAX_SIZE);
        for (Path p : files) {
            assertThat(Files.size(p)).as(p.toString()).isLessThanOrEqualTo(MAX_SIZE + 200);
        }
        List<String> rotated = Files.readAllLines(logs.resolve("llama.log.2"));
        assertThat(rotated).isNotEmpty().allSatisfy(l -> assertThat(l).startsWith("flood line "));
    }
}
