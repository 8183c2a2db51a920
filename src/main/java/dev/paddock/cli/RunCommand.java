package dev.paddock.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.paddock.config.Config;
import dev.paddock.config.PaddockHome;
import dev.paddock.hub.ServerSetup;
import dev.paddock.supervisor.PidFile;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.Call;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code paddock run ID [PROMPT]}: a chat in the terminal through the gateway, the answer printed token by token as
 * it streams. With a prompt (or text piped in) it answers once; on a terminal it keeps a conversation going until
 * {@code /bye} or Ctrl-D, and Ctrl-C stops the answer being written (the request upstream is cancelled).
 */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = "Chat with a preset or model in the terminal (through the gateway).")
public final class RunCommand implements Callable<Integer> {
    private static final MediaType JSON_TYPE = MediaType.get("application/json");

    @Parameters(index = "0", paramLabel = "ID", description = "a preset name, p:PRESET, h:ORG/REPO[:QUANT] or f:PATH")
    String id;

    @Parameters(index = "1", arity = "0..1", paramLabel = "PROMPT", description = "Answer this once and exit.")
    String prompt;

    @Option(names = "--system", paramLabel = "TEXT", description = "A system message for the conversation.")
    String system;

    @Option(names = "--temp", paramLabel = "T", description = "Sampling temperature (the server's default if unset).")
    Double temperature;

    @Option(
            names = {"-n", "--max-tokens"},
            paramLabel = "N",
            description = "At most N tokens per answer.")
    Integer maxTokens;

    private final PrintStream out =
            new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
    private final AtomicReference<Call> answering = new AtomicReference<>();
    private OkHttpClient http;
    private String base;
    private String apiKey;
    private BufferedReader in;

    /** The request failed: its message is printed and the exit code is 1. */
    private static final class Failed extends Exception {
        private static final long serialVersionUID = 1L;
        /** The error's code when the answer carried one ({@code server_not_found}, …); else null. */
        final String code;

        Failed(String message) {
            this(message, null);
        }

        Failed(String message, String code) {
            super(message);
            this.code = code;
        }
    }

    private boolean offered; // the offer to install llama-server is made once a run

    /**
     * The load again after an install, once the running Paddock has read the new config.yaml (its watcher does within
     * a second): a {@code server_not_found} meanwhile is asked again, for at most 5 s.
     */
    private String loadOnceConfigIsSeen(PaddockHome home) throws DaemonClient.NotRunning, Failed {
        long until = System.nanoTime() + 5_000_000_000L;
        while (true) {
            try {
                return load(home);
            } catch (Failed e) {
                if (!"server_not_found".equals(e.code) || System.nanoTime() > until) throw e;
                java.util.concurrent.locks.LockSupport.parkNanos(250_000_000L);
            }
        }
    }

    @Override
    public Integer call() {
        PaddockHome home = PaddockHome.fromEnvironment(System.getenv());
        Config config = Output.configOrReport(home);
        if (config == null) return Output.FAILED;
        if (config.gateway().port() == 0) {
            return Output.error(
                    false,
                    "server_failed",
                    "the gateway is off (gateway.port: 0 in config.yaml); run needs it",
                    Output.FAILED);
        }
        String host = config.gateway().host().contains(":")
                ? "[" + config.gateway().host() + "]"
                : config.gateway().host();
        base = "http://" + host + ":" + config.gateway().port();
        apiKey = System.getenv("PADDOCK_API_KEY") != null
                ? System.getenv("PADDOCK_API_KEY")
                : config.gateway().apiKeys().isEmpty()
                        ? null
                        : config.gateway().apiKeys().get(0);
        http = new OkHttpClient.Builder()
                .readTimeout(Duration.ZERO) // a long answer, or a long load, is not a dead gateway
                .build();
        boolean running = PidFile.livePaddock(home).isPresent();
        // Paddock down: whether it will find a llama-server is decided here (it starts with this environment); a
        // running one is asked by the load itself, since its PATH may not be this terminal's
        Optional<String> noServer = running ? Optional.empty() : StartCommand.noServer(config);
        if (noServer.isPresent() && Term.TTY) { // a first run on a terminal: offer to install one, once
            offered = true;
            if (!offerServer(home, noServer.get())) return Output.FAILED;
            config = Output.configOrReport(home);
            if (config == null) return Output.FAILED;
        }
        if (!running) {
            System.err.println(Term.dim("Paddock is not running; starting it…"));
            try {
                long pid = Detacher.start(home, config, null, false);
                System.err.println(Term.dim("Paddock started (pid " + pid + "); `paddock stop` stops it"));
            } catch (IOException e) {
                return Output.error(false, "server_failed", "Paddock did not start: " + e.getMessage(), Output.FAILED);
            }
        }
        try {
            String model;
            try {
                model = load(home);
            } catch (Failed e) {
                if (!"server_not_found".equals(e.code) || offered || !Term.TTY) throw e;
                offered = true; // the running Paddock found none: the same offer, then the load again
                if (!offerServer(home, e.getMessage())) return Output.FAILED;
                model = loadOnceConfigIsSeen(home);
            }
            boolean interactive = prompt == null && Term.TTY;
            return interactive ? converse(model) : once(model);
        } catch (DaemonClient.NotRunning e) {
            return Output.notRunning(false, e);
        } catch (Failed e) {
            return Output.error(false, e.code == null ? "server_failed" : e.code, e.getMessage(), Output.FAILED);
        } finally {
            http.dispatcher().executorService().shutdownNow();
            http.connectionPool().evictAll();
        }
    }

    /**
     * Says why there is no llama-server and asks whether to install llama.cpp's release build now; true once one is
     * installed and config.yaml names it. A no, or a failed install, has been reported when this returns false.
     */
    private boolean offerServer(PaddockHome home, String why) {
        String backend = ServerSetup.defaultBackend();
        System.err.println("No llama-server was found: " + why);
        System.err.print("Download llama.cpp's latest release (" + backend + " build for " + ServerSetup.os() + "/"
                + System.getProperty("os.arch") + ") into " + home.root().resolve("bin") + " and use it? [Y/n] ");
        System.err.flush();
        String answer;
        try {
            answer = input().readLine();
        } catch (IOException e) {
            answer = null;
        }
        if (answer == null || !answer.strip().matches("(?i)|y|yes")) {
            Output.error(
                    false,
                    "server_not_found",
                    "nothing was installed; `paddock install-server` installs it later (or set 'llama-server:' in"
                            + " config.yaml)",
                    Output.FAILED);
            return false;
        }
        return InstallServerCommand.install(home, System.getenv(), null, null);
    }

    /** Standard input as lines, one reader for the whole run (the offer's answer, then the conversation). */
    private BufferedReader input() {
        if (in == null) in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        return in;
    }

    /**
     * Loads {@code id} through the gateway (after any request in flight), showing progress on stderr; returns the
     * name each request puts in {@code model}: the same identifier, which the gateway resolves as the load did, so
     * the conversation stays with this model even when another client switches in between.
     */
    private String load(PaddockHome home) throws DaemonClient.NotRunning, Failed {
        String identifier = IdentifierArg.fromHere(id);
        try (DaemonClient c = DaemonClient.connect(home)) {
            LoadProgress progress = new LoadProgress(c, System.err);
            try {
                ObjectNode body = Output.JSON.createObjectNode().put("model", identifier);
                send(post("/paddock/load", body), "load " + id);
            } finally {
                progress.close();
            }
        }
        return identifier;
    }

    /** One answer to the prompt, or to what was piped in when there is none, then exit. */
    private int once(String model) throws Failed {
        String text = prompt;
        if (prompt == null) { // stdin is not a terminal here: the prompt is whatever was piped in
            try {
                text = new String(System.in.readAllBytes(), StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new Failed("cannot read standard input: " + e.getMessage());
            }
        }
        if (text == null || text.isBlank()) {
            return Output.error(
                    false, "invalid_identifier", "nothing to ask: give a PROMPT or pipe text in", Output.USAGE);
        }
        List<ObjectNode> messages = new ArrayList<>();
        if (system != null) messages.add(message("system", system));
        messages.add(message("user", text));
        stream(model, messages);
        out.println();
        out.flush();
        return Output.OK;
    }

    /** The conversation: a line in, an answer out, until /bye or end of input. */
    private int converse(String model) throws Failed {
        List<ObjectNode> messages = new ArrayList<>();
        if (system != null) messages.add(message("system", system));
        boolean canInterrupt = Term.onInterrupt(() -> {
            Call c = answering.get();
            if (c != null) c.cancel();
            else {
                out.print("\n(Ctrl-D or /bye to leave)\n>>> ");
                out.flush();
            }
        });
        BufferedReader in = input();
        System.err.println(Term.dim("Chatting with " + id + ". /bye or Ctrl-D to leave"
                + (canInterrupt ? "; Ctrl-C stops an answer." : ".")));
        while (true) {
            out.print(">>> ");
            out.flush();
            String line;
            try {
                line = in.readLine();
            } catch (IOException e) {
                throw new Failed("cannot read standard input: " + e.getMessage());
            }
            if (line == null || line.strip().equals("/bye")) {
                if (line == null) out.println();
                out.flush();
                return Output.OK;
            }
            if (line.isBlank()) continue;
            messages.add(message("user", line));
            String answer = stream(model, messages);
            out.println();
            out.flush();
            if (answer == null) {
                messages.remove(messages.size() - 1); // stopped: that turn did not happen
            } else {
                messages.add(message("assistant", answer));
            }
        }
    }

    private static ObjectNode message(String role, String content) {
        return Output.JSON.createObjectNode().put("role", role).put("content", content);
    }

    /** Streams one answer to the terminal; returns it whole, or null when it was stopped by Ctrl-C. */
    private String stream(String model, List<ObjectNode> messages) throws Failed {
        ObjectNode body = Output.JSON.createObjectNode();
        if (model != null) body.put("model", model);
        ArrayNode list = body.putArray("messages");
        messages.forEach(list::add);
        body.put("stream", true);
        if (temperature != null) body.put("temperature", temperature);
        if (maxTokens != null) body.put("max_tokens", maxTokens);
        Call call = http.newCall(post("/v1/chat/completions", body));
        answering.set(call);
        StringBuilder answer = new StringBuilder();
        try (Response r = call.execute()) {
            if (!r.isSuccessful()) throw new Failed(errorOf(r));
            okio.BufferedSource source = r.body().source();
            String line;
            while ((line = source.readUtf8Line()) != null) {
                if (!line.startsWith("data: ")) continue;
                String data = line.substring(6).trim();
                if (data.equals("[DONE]")) break;
                JsonNode event = Output.JSON.readTree(data);
                if (event.has("error")) {
                    out.println();
                    throw new Failed(event.path("error").path("message").asText("the answer ended with an error"));
                }
                String token = event.path("choices")
                        .path(0)
                        .path("delta")
                        .path("content")
                        .asText("");
                if (!token.isEmpty()) {
                    answer.append(token);
                    out.print(token);
                    out.flush();
                }
            }
            return answer.toString();
        } catch (IOException e) {
            if (call.isCanceled()) return null;
            throw new Failed("the gateway at " + base + " stopped answering: " + e.getMessage());
        } finally {
            answering.set(null);
        }
    }

    private Request.Builder request(String path) {
        Request.Builder b = new Request.Builder().url(base + path);
        if (apiKey != null) b.header("Authorization", "Bearer " + apiKey);
        return b;
    }

    private Request post(String path, JsonNode body) {
        return request(path)
                .post(RequestBody.create(body.toString(), JSON_TYPE))
                .build();
    }

    /** Sends a small request and returns its JSON; a failure becomes a message. */
    private JsonNode send(Request request, String what) throws Failed {
        try (Response r = http.newCall(request).execute()) {
            if (!r.isSuccessful()) {
                String text = r.body().string();
                throw new Failed("cannot " + what + ": " + errorOf(r.code(), text), codeOf(text));
            }
            return Output.JSON.readTree(r.body().string());
        } catch (IOException e) {
            throw new Failed("cannot " + what + ": the gateway at " + base + " does not answer (" + e.getMessage()
                    + "); is Paddock running? (paddock start)");
        }
    }

    /** The message of an error answer: the gateway's or llama-server's JSON error, else the status line. */
    private static String errorOf(Response r) throws IOException {
        return errorOf(r.code(), r.body().string());
    }

    /** The CLI-shaped error's {@code error_code}, or null. */
    private static String codeOf(String text) {
        try {
            return Output.JSON.readTree(text).path("error_code").asText(null);
        } catch (IOException notJson) {
            return null;
        }
    }

    private static String errorOf(int status, String text) {
        try {
            JsonNode n = Output.JSON.readTree(text);
            if (n.path("error").isTextual()) return n.path("error").asText(); // the CLI's own error shape
            String m = n.path("error").path("message").asText(null);
            if (m != null) return m;
        } catch (IOException notJson) {
            // fall through to the status
        }
        return "HTTP " + status + (text.isBlank() ? "" : ": " + text.strip());
    }
}
