package dev.paddock.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputPumpTest {
    @TempDir
    Path dir;

    /**
     * Only llama-server's own line counts: as this build writes it (its function's name {@code llama_server}, with or
     * without the log's prefix) and as older builds wrote it ({@code main}); another model's message ending the same
     * words does not.
     */
    @Test
    void onlyTheServersOwnModelLoadedLineSaysItIsReady() {
        assertThat(OutputPump.saysReady("0.00.027.284 I srv  llama_server: model loaded"))
                .isTrue();
        assertThat(OutputPump.saysReady("llama_server: model loaded")).isTrue();
        assertThat(OutputPump.saysReady("main: model loaded")).isTrue();
        assertThat(OutputPump.saysReady("0.00.011.026 I main: model loaded")).isTrue();
        assertThat(OutputPump.saysReady("0.00.009.101 I srv    load_model: draft model loaded"))
                .isFalse();
        assertThat(OutputPump.saysReady("clip_model_loader: model loaded")).isFalse();
        assertThat(OutputPump.saysReady("llama_server: model loaded, warming up"))
                .isFalse();
    }

    /** The supervisor asks /health at once on this line instead of at its probe's next tick. */
    @Test
    void theServersModelLoadedLineIsToldOnceAndIsStillLogged() throws Exception {
        Path file = dir.resolve("llama.log");
        PipedOutputStream server = new PipedOutputStream();
        AtomicInteger hints = new AtomicInteger();
        try (LlamaLog log = new LlamaLog(file, 1 << 20, 2)) {
            OutputPump pump = new OutputPump(new PipedInputStream(server, 4096), log, "test-pump");
            pump.whenModelLoaded(hints::incrementAndGet);

            server.write("0.00.015.242 I llama_model_loader: loaded meta data with 20 key-value pairs\n"
                    .getBytes(StandardCharsets.UTF_8));
            server.write(
                    "0.00.019.403 I srv    load_model: initializing, n_slots = 1\n".getBytes(StandardCharsets.UTF_8));
            server.flush();
            await().atMost(Duration.ofSeconds(10)).until(() -> pump.tail().size() == 2);
            assertThat(hints).hasValue(0);

            server.write("0.00.027.284 I srv  llama_server: model loaded\r\n".getBytes(StandardCharsets.UTF_8));
            server.write("0.00.027.300 I main: server is listening\n".getBytes(StandardCharsets.UTF_8));
            server.close();
            pump.eof().get();
            assertThat(hints).hasValue(1);
            assertThat(pump.tail()).contains("0.00.027.284 I srv  llama_server: model loaded");
        }
        assertThat(Files.readString(file)).contains("llama_server: model loaded");
    }
}
