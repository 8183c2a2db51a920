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
 *
 * <p>Lines llama-server writes for a router ({@code cmd_child_to_router:state:{JSON}}, when started with {@code
 * LLAMA_SERVER_ROUTER_PORT}) are not log lines: they are read for the load's progress and kept out of llama.log,
 * with the empty line the server writes before each to end whatever its logger left open.
 */
final class OutputPump {
    static final int TAIL_LINES = 20;
    private static final int MAX_LINE = 16 * 1024;

    private final ArrayDeque<String> tail = new ArrayDeque<>(TAIL_LINES); // guarded by itself
    private final CompletableFuture<Void> eof = new CompletableFuture<>();
    private volatile Runnable onModelLoaded = () -> {};
    private volatile java.util.function.DoubleConsumer onProgress = p -> {};
    private volatile Runnable afterEof = () -> {};
    private boolean heldEmpty; // pump thread: an empty line not yet written (it may precede a router line)

    /** The prefix of llama-server's messages to a router. */
    static final String ROUTER_STATE = "cmd_child_to_router:state:";

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

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
     * Runs {@code then} on the pump's thread once the stream has ended, if it has not ended before this call (a
     * hint: whoever needs to know must also look at {@link #eof}).
     */
    void afterEof(Runnable then) {
        afterEof = then;
    }

    /**
     * Runs {@code then} on the pump's thread when the server says {@code model loaded}: llama-server's line, which its
     * main thread logs right after it marks itself ready (from then on /health answers 200), as {@code llama_server:
     * model loaded} in this build's log format and {@code main: model loaded} in older ones. Only a line that ends
     * with one of those counts (not a draft or projector model's own message); a build that words it otherwise, or a
     * server run with {@code --log-disable}, never says it.
     */
    void whenModelLoaded(Runnable then) {
        onModelLoaded = then;
    }

    /**
     * Tells {@code progress} the load's progress (0 to 1, over every stage: the model, then a projector or draft
     * model when there is one) each time llama-server reports it, on the pump's thread.
     */
    void whenProgress(java.util.function.DoubleConsumer progress) {
        onProgress = progress;
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
            afterEof.run();
        }
    }

    private void emit(ByteArrayOutputStream line, LlamaLog log) {
        String s = line.toString(StandardCharsets.UTF_8);
        line.reset();
        if (s.startsWith(ROUTER_STATE)) {
            heldEmpty = false; // the separator llama-server wrote before it
            progress(s.substring(ROUTER_STATE.length()));
            return;
        }
        if (heldEmpty) write("", log);
        heldEmpty = s.isEmpty();
        if (!heldEmpty) write(s, log);
    }

    /** {@code {"state":"loading","payload":{"stages":[…],"current":"text_model","value":0.42}}}: the whole load's share. */
    private void progress(String json) {
        try {
            var n = JSON.readTree(json);
            if (!n.path("state").asText().equals("loading")) return;
            var payload = n.path("payload");
            if (!payload.has("value")) return;
            int stages = Math.max(1, payload.path("stages").size());
            int stage = 0;
            for (int i = 0; i < payload.path("stages").size(); i++) {
                if (payload.path("stages")
                        .get(i)
                        .asText()
                        .equals(payload.path("current").asText())) stage = i;
            }
            double value = Math.max(0, Math.min(1, payload.path("value").asDouble()));
            onProgress.accept((stage + value) / stages);
        } catch (java.io.IOException | RuntimeException e) {
            // a message this Paddock does not understand: the load goes on, without a percentage
        }
    }

    /** Whether {@code line} is llama-server's own {@code model loaded} (see {@link #whenModelLoaded}). */
    static boolean saysReady(String line) {
        return line.endsWith(" llama_server: model loaded")
                || line.endsWith(" main: model loaded")
                || line.equals("llama_server: model loaded")
                || line.equals("main: model loaded");
    }

    private void write(String s, LlamaLog log) {
        if (saysReady(s)) onModelLoaded.run();
        log.append(s);
        synchronized (tail) {
            if (tail.size() == TAIL_LINES) tail.removeFirst();
            tail.addLast(s);
        }
    }
}
