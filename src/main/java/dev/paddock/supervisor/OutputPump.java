package dev.paddock.supervisor;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Copies a server's merged stdout+stderr to llama.log line by line on a thread of its own, and keeps the last
 * lines for the {@code failed} state. A line longer than 16 KiB is split, so a server that never writes a newline
 * cannot grow the heap.
 */
final class OutputPump {
    static final int TAIL_LINES = 20;
    private static final int MAX_LINE = 16 * 1024;

    private final ArrayDeque<String> tail = new ArrayDeque<>(TAIL_LINES); // guarded by itself
    private final CompletableFuture<Void> eof = new CompletableFuture<>();
    private volatile Runnable onModelLoaded = () -> {};

    OutputPump(InputStream in, LlamaLog log, String threadName) {
        Thread t = new Thread(() -> pump(in, log), threadName);
        t.setDaemon(true);
        t.start();
    }

    /** Completes when the stream ends: every line the server wrote has been logged. */
    CompletableFuture<Void> eof() {
        return eof;
    }

    /**
     * Runs {@code hint} on the pump's thread when the server says {@code model loaded} (llama-server's line right
     * after it starts answering /health with 200). A hint only: the text may change between versions.
     */
    void whenModelLoaded(Runnable hint) {
        onModelLoaded = hint;
    }

    List<String> tail() {
        synchronized (tail) {
            return List.copyOf(tail);
        }
    }

    private void pump(InputStream in, LlamaLog log) {
        ByteArrayOutputStream line = new ByteArrayOutputStream(256);
        byte[] buf = new byte[8192];
        try (in) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                for (int i = 0; i < n; i++) {
                    byte b = buf[i];
                    if (b == '\n') {
                        emit(line, log);
                    } else if (b != '\r') {
                        line.write(b);
                        if (line.size() >= MAX_LINE) emit(line, log);
                    }
                }
            }
            if (line.size() > 0) emit(line, log);
        } catch (IOException e) {
            // the process is gone and its pipe closed under us: nothing more to copy
        } finally {
            eof.complete(null);
        }
    }

    private void emit(ByteArrayOutputStream line, LlamaLog log) {
        String s = line.toString(StandardCharsets.UTF_8);
        line.reset();
        if (s.endsWith("model loaded")) onModelLoaded.run();
        log.append(s);
        synchronized (tail) {
            if (tail.size() == TAIL_LINES) tail.removeFirst();
            tail.addLast(s);
        }
    }
}
