package dev.paddock.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A stand-in for llama-server that does what the real one cannot be made to do on demand. It takes llama-server's
 * {@code -m}, {@code --host} and {@code --port}, ignores the other real flags, and obeys these:
 *
 * <ul>
 *   <li>{@code --fake-loading-ms N}: answer 503 on /health for N ms before 200 (default 0)
 *   <li>{@code --fake-crash-after-ms N}: once healthy, exit with code 3 after N ms
 *   <li>{@code --fake-fail-load CODE}: print an error and exit with CODE while loading
 *   <li>{@code --fake-flood-lines N}: write N log lines as fast as it can once bound
 *   <li>{@code --fake-stream-delay-ms N}: a streamed chat answer sends an event every N ms (default 50); a
 *       client that leaves mid-stream is logged ({@code fake: the client closed the stream after …})
 *   <li>{@code --fake-lose-first-sigterm}: the first SIGTERM does nothing, the second exits with code 1 (as
 *       llama-server does with one that arrives before its main loop starts)
 *   <li>{@code --fake-spawn-child}: start a {@code sleep} child process (a descendant to clean up)
 *   <li>{@code --fake-progress P}: started as a router's child ({@code LLAMA_SERVER_ROUTER_PORT} set), report
 *       the load at P (0 to 1) on stdout as llama-server does, once bound
 *   <li>{@code --fake-ignore-sigterm}: handled by the launcher script ({@code trap '' TERM}), so the JVM
 *       ignores SIGTERM and only SIGKILL ends it
 * </ul>
 */
public final class FakeLlamaServer {
    private static final int STREAM_CHUNKS = 10;

    private FakeLlamaServer() {}

    /** SIGTERM handled: the first is only logged, the second exits 1. sun.misc.Signal by reflection (not an API). */
    private static void loseFirstSigterm() {
        java.util.concurrent.atomic.AtomicInteger seen = new java.util.concurrent.atomic.AtomicInteger();
        try {
            Class<?> signal = Class.forName("sun.misc.Signal");
            Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
            Object handler = java.lang.reflect.Proxy.newProxyInstance(
                    handlerType.getClassLoader(), new Class<?>[] {handlerType}, (proxy, method, a) -> {
                        if (!method.getName().equals("handle")) return method.invoke(new Object(), a);
                        if (seen.incrementAndGet() == 1) {
                            System.out.println("fake: SIGTERM lost");
                        } else {
                            System.out.println("fake: second SIGTERM, exiting");
                            Runtime.getRuntime().halt(1);
                        }
                        return null;
                    });
            signal.getMethod("handle", signal, handlerType)
                    .invoke(null, signal.getConstructor(String.class).newInstance("TERM"), handler);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot handle SIGTERM here", e);
        }
    }

    public static void main(String[] args) throws Exception {
        String host = "127.0.0.1", model = "?";
        int port = 8080, crashAfter = -1, failLoad = -1, flood = 0;
        long loadingMs = 0;
        long delay = 50;
        boolean spawnChild = false, childSharesOutput = false, saysLoaded = false;
        double progress = -1;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "-m" -> model = args[++i];
                case "--host" -> host = args[++i];
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--fake-loading-ms" -> loadingMs = Long.parseLong(args[++i]);
                case "--fake-crash-after-ms" -> crashAfter = Integer.parseInt(args[++i]);
                case "--fake-fail-load" -> failLoad = Integer.parseInt(args[++i]);
                case "--fake-flood-lines" -> flood = Integer.parseInt(args[++i]);
                case "--fake-spawn-child" -> spawnChild = true;
                case "--fake-spawn-child-sharing-output" -> childSharesOutput = true;
                case "--fake-lose-first-sigterm" -> loseFirstSigterm();
                case "--fake-stream-delay-ms" -> delay = Long.parseLong(args[++i]);
                case "--fake-progress" -> progress = Double.parseDouble(args[++i]);
                case "--fake-say-loaded" -> saysLoaded = true;
                default -> {}
            }
        }
        PrintStream out = System.out;
        out.println("fake llama-server: model " + model + " on " + host + ":" + port);
        if (spawnChild) new ProcessBuilder("sleep", "600").start();
        // a child that writes to the server's own output, which stays open while it runs
        if (childSharesOutput) new ProcessBuilder("sleep", "600").inheritIO().start();
        // a load that fails never becomes ready, however slowly this JVM starts
        long readyAt = failLoad >= 0 ? Long.MAX_VALUE : System.currentTimeMillis() + loadingMs;
        String modelName = Path.of(model).getFileName().toString();
        long streamDelay = delay;
        HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 50);
        server.createContext("/health", ex -> {
            boolean ready = System.currentTimeMillis() >= readyAt;
            reply(
                    ex,
                    ready ? 200 : 503,
                    ready ? "{\"status\":\"ok\"}" : "{\"error\":{\"code\":503,\"message\":\"Loading model\"}}");
        });
        server.createContext("/v1/chat/completions", ex -> {
            String req = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            if (!req.replace(" ", "").contains("\"stream\":true")) {
                reply(
                        ex,
                        200,
                        "{\"model\":\"" + modelName
                                + "\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"fake reply from "
                                + modelName + "\"}}]}");
                return;
            }
            // a stream of STREAM_CHUNKS events, one every streamDelay ms: long enough to switch during it
            ex.getResponseHeaders().set("Content-Type", "text/event-stream");
            ex.sendResponseHeaders(200, 0);
            int c = 0;
            try (OutputStream os = ex.getResponseBody()) {
                for (; c < STREAM_CHUNKS; c++) {
                    os.write(("data: {\"choices\":[{\"delta\":{\"content\":\"" + modelName + " " + c + "\"}}]}\n\n")
                            .getBytes(StandardCharsets.UTF_8));
                    os.flush();
                    try {
                        Thread.sleep(streamDelay);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                os.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
            } catch (java.io.IOException gone) {
                out.println("fake: the client closed the stream after " + c + " of " + STREAM_CHUNKS + " events");
                out.flush();
            }
        });
        server.start();
        out.println("main: server is listening on http://" + host + ":" + port + " - starting the main loop");
        // llama-server's line once it is ready, in its log format; said here at once, whatever /health answers
        if (saysLoaded) out.println("0.00.011.026 I srv  llama_server: model loaded");
        if (progress >= 0 && System.getenv("LLAMA_SERVER_ROUTER_PORT") != null) {
            out.println();
            out.println("cmd_child_to_router:state:{\"state\":\"loading\",\"payload\":{\"stages\":[\"text_model\"],"
                    + "\"current\":\"text_model\",\"value\":" + progress + "}}");
        }
        for (int i = 0; i < flood; i++)
            out.println("flood line " + i + " .................................................................");
        out.flush();
        if (failLoad >= 0) {
            Thread.sleep(Math.max(0, loadingMs / 2));
            out.println("error: failed to load model '" + model + "'");
            out.flush();
            System.exit(failLoad);
        }
        if (crashAfter >= 0) {
            Thread.sleep(loadingMs + crashAfter);
            out.println("GGML_ASSERT failed: fake crash");
            out.flush();
            Runtime.getRuntime().halt(3);
        }
        Thread.currentThread().join(); // serve until signalled
    }

    private static void reply(com.sun.net.httpserver.HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(b);
        }
    }
}
