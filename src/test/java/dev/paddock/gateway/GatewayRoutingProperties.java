package dev.paddock.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.testing.GatewayHome;
import dev.paddock.testing.PaddockCli;
import dev.paddock.testing.TestRig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Random requests at a running gateway (in front of the fake llama-server): any method, path and body is routed,
 * refused or forwarded, never answered with the gateway's own internal error, and Paddock keeps serving.
 */
class GatewayRoutingProperties {
    private static Path dir;
    private static Process daemon;
    private static PaddockCli cli;
    private static String gateway;
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeContainer
    static void start() throws Exception {
        dir = Files.createTempDirectory("paddock-routing-fuzz");
        GatewayHome g = GatewayHome.in(dir, TestRig.fakeServerScript(dir), ", max-body: 64KB", "")
                .preset(
                        "x",
                        "model: " + Files.writeString(dir.resolve("x.gguf"), "x")
                                + "\nport: auto\nalias: ex\nargs: [\"--fake-stream-delay-ms\", \"1\"]\n");
        gateway = g.url;
        cli = g.cli(dir);
        daemon = cli.startDaemon();
    }

    @AfterContainer
    static void stop() throws Exception {
        daemon.destroy();
        daemon.waitFor(30, TimeUnit.SECONDS);
    }

    @Provide
    Arbitrary<String> paths() {
        Arbitrary<String> segment = Arbitraries.oneOf(
                Arbitraries.of(
                        "v1",
                        "chat",
                        "completions",
                        "models",
                        "embeddings",
                        "paddock",
                        "load",
                        "unload",
                        "status",
                        "events",
                        "metrics",
                        "health",
                        "tokenize",
                        "..",
                        ".",
                        "%2e%2e",
                        "%00",
                        "slots",
                        "props",
                        ""),
                Arbitraries.strings().alpha().numeric().ofMaxLength(8));
        return Combinators.combine(segment.list().ofMinSize(1).ofMaxSize(4), Arbitraries.of("", "?a=1", "?stream=x"))
                .as((parts, query) -> "/" + String.join("/", parts) + query);
    }

    @Provide
    Arbitrary<String> bodies() {
        Arbitrary<String> model = Arbitraries.oneOf(
                Arbitraries.of(
                        "\"x\"",
                        "\"ex\"",
                        "\"nope\"",
                        "1",
                        "null",
                        "[]",
                        "{}",
                        "\"p:../../x\"",
                        "\"\"",
                        "\"h:a/b\"",
                        "\"f:/etc/passwd\""),
                Arbitraries.strings()
                        .ofMaxLength(10)
                        .map(s -> "\"" + s.replace("\\", "").replace("\"", "") + "\""));
        Arbitrary<String> json = Combinators.combine(model, Arbitraries.of("true", "false", "\"yes\""))
                .as((m, stream) -> "{\"model\":" + m + ",\"stream\":" + stream
                        + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":2}");
        return Arbitraries.oneOf(
                json,
                Arbitraries.strings().ofMaxLength(200),
                Arbitraries.of("", "{", "{\"model\":", "[1,2", "\u0000\u0001", "x".repeat(70_000)));
    }

    @Property(tries = 300)
    void anyRequestIsRoutedRefusedOrForwardedNeverAGatewayFault(
            @ForAll("paths") String path, @ForAll("bodies") String body, @ForAll("methods") String method)
            throws Exception {
        if (path.startsWith("/paddock/events")) path = "/paddock/event"; // an endless stream by design
        HttpRequest.BodyPublisher publisher = method.equals("GET") || method.equals("HEAD")
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body);
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(URI.create(gateway + path.replace(" ", "%20")))
                        .timeout(Duration.ofSeconds(30))
                        .method(method, publisher)
                        .build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertThat(r.body()).as("%s %s -> %d", method, path, r.statusCode()).doesNotContain("gateway error");
        assertThat(r.statusCode()).isIn(200, 204, 400, 401, 404, 405, 413, 422, 501, 502, 503);
    }

    @Provide
    Arbitrary<String> methods() {
        return Arbitraries.of("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD");
    }

    @Property(tries = 1000)
    void theModelOfAnyBodyIsReadWithoutThrowing(@ForAll byte[] body) {
        String m = HttpIo.modelOf(body);
        if (m != null) assertThat(m).isNotBlank();
    }

    @Property(tries = 1)
    void afterAllThatPaddockStillServes() throws Exception {
        assertThat(daemon.isAlive()).isTrue();
        HttpResponse<String> health = HTTP.send(
                HttpRequest.newBuilder(URI.create(gateway + "/health")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(cli.run("status", "--json").exit()).isZero();
        assertThat(List.of("idle", "running"))
                .contains(cli.run("status", "--json").json().path("state").asText());
    }
}
