package dev.paddock.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code logs -f} across rotations, both ways of telling a file from its successor: the file system's key (Linux,
 * macOS) and the file's first bytes (Windows has no file keys), so the second is checked here too.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LogFollowerTest {
    @TempDir
    Path dir;

    /** Output the follower writes, read safely from the test's thread. */
    private static final class Seen extends ByteArrayOutputStream {
        synchronized String text() {
            return toString(StandardCharsets.UTF_8);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            super.write(b, off, len);
        }
    }

    private static void append(Path f, String lines) throws Exception {
        Files.writeString(f, lines, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    @ParameterizedTest(name = "known by their first bytes: {0}")
    @ValueSource(booleans = {false, true})
    void everyLineIsFollowedAcrossTwoRotationsInOrder(boolean byContent) throws Exception {
        Path log = dir.resolve("llama.log");
        append(log, "load_tensors: loading model tensors\n");
        Seen out = new Seen();
        LogFollower f = new LogFollower(log, out, byContent);
        long offset = f.tail(10);
        Thread follower = new Thread(() -> {
            try {
                f.follow(offset);
            } catch (InterruptedException e) {
                // stopped
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        follower.start();
        List<String> expected = new ArrayList<>(List.of("load_tensors: loading model tensors"));
        for (int round = 0; round < 2; round++) {
            String before = "srv  update_slots: round " + round + ", before the rotation";
            append(log, before + "\n");
            expected.add(before);
            await().until(() -> out.text().contains(before));
            String tail = "srv  log_server_r: round " + round + ", the old file's last line";
            append(log, tail + "\n");
            expected.add(tail);
            // Logback's rollover: the live file is renamed away, a new one is created
            if (Files.exists(dir.resolve("llama.log.1")))
                Files.move(dir.resolve("llama.log.1"), dir.resolve("llama.log.2"));
            Files.move(log, dir.resolve("llama.log.1"));
            Files.createFile(log);
            String after = "main: round " + round + ", the new file's first line";
            append(log, after + "\n");
            expected.add(after);
            await().until(() -> out.text().contains(after));
        }
        follower.interrupt();
        follower.join();
        assertThat(out.text().lines().toList()).containsExactlyElementsOf(expected);
    }
}
