package dev.paddock.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.paddock.testing.FakeHub;
import dev.paddock.testing.FakeOllamaRegistry;
import dev.paddock.testing.LlamaServerBinary;
import dev.paddock.testing.PaddockCli;
import dev.paddock.testing.TestRig;
import dev.paddock.testing.TinyGguf;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code paddock pull o:NAME[:TAG]} from a registry that answers as Ollama's does (manifest by Accept header, blobs
 * by digest behind a 307 to storage): the weights and projector land under {@code models/ollama/NAME/TAG/}, resume
 * after a dropped connection and after a killed process, and bytes that do not match their digest are not kept.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class OllamaPullTest {
    @TempDir
    Path dir;

    private FakeOllamaRegistry registry;
    private PaddockCli cli;
    private Path home;
    private byte[] weights;
    private byte[] projector;

    @BeforeEach
    void setUp() throws Exception {
        registry = new FakeOllamaRegistry();
        weights = Files.readAllBytes(TinyGguf.write(dir.resolve("w.gguf"), "llama3.2", 21));
        projector = Files.readAllBytes(TinyGguf.write(dir.resolve("p.gguf"), "llava projector", 22));
        home = Files.createDirectories(dir.resolve("home"));
        Files.writeString(
                home.resolve("config.yaml"),
                "llama-server: " + LlamaServerBinary.require() + "\nstop-timeout: 2s\njmx: {port: " + TestRig.freePort()
                        + "}\ngateway: {port: " + TestRig.freePort() + "}\nport: " + TestRig.freePort() + "\n");
        cli = new PaddockCli(home, dir).withEnv("OLLAMA_REGISTRY", registry.endpoint());
    }

    @AfterEach
    void tearDown() {
        registry.close();
    }

    private Path folder(String name, String tag) {
        return home.resolve("models/ollama").resolve(name).resolve(tag);
    }

    @Test
    void aPullStoresTheWeightsAndProjectorAndLsShowsThemByOllamasName() throws Exception {
        registry.model("llava", "7b", weights, projector);

        PaddockCli.Run pull = cli.run("pull", "o:llava:7b");

        assertThat(pull.exit()).as(pull.err()).isZero();
        assertThat(pull.out()).contains("pulled o:llava:7b", "paddock load o:llava:7b");
        assertThat(Files.readAllBytes(folder("llava", "7b").resolve("llava-7b.gguf")))
                .isEqualTo(weights);
        assertThat(Files.readAllBytes(folder("llava", "7b").resolve("mmproj.gguf")))
                .isEqualTo(projector);
        assertThat(folder("llava", "7b").resolve("manifest.json")).hasContent(registry.manifest("llava", "7b"));
        try (Stream<Path> left = Files.list(folder("llava", "7b"))) {
            assertThat(left.map(p -> p.getFileName().toString()))
                    .as("no partial or lock left behind")
                    .containsExactlyInAnyOrder(
                            "llava-7b.gguf", "mmproj.gguf", "manifest.json", "llava-7b.gguf.lock", "mmproj.gguf.lock");
        }
        assertThat(registry.requests())
                .contains("GET /v2/library/llava/manifests/7b Accept: " + FakeOllamaRegistry.MANIFEST_TYPE)
                .anyMatch(r -> r.startsWith("GET /v2/library/llava/blobs/sha256:" + FakeHub.sha256(weights)))
                .anyMatch(r -> r.startsWith("GET /storage/sha256-" + FakeHub.sha256(weights)));

        Process daemon = cli.startDaemon();
        try {
            var model = cli.run("ls", "--json").json().path("models").get(0);
            assertThat(model.path("name").asText()).isEqualTo("o:llava:7b");
            assertThat(model.path("source").asText()).isEqualTo("downloaded");
            assertThat(model.path("projector").asText()).endsWith("mmproj.gguf");
        } finally {
            daemon.destroy();
            daemon.waitFor(30, TimeUnit.SECONDS);
        }
        assertThat(cli.run("pull", "o:llava:7b").exit())
                .as("a second pull finds it whole")
                .isZero();
        assertThat(registry.requests())
                .filteredOn(r -> r.startsWith("GET /storage/"))
                .hasSize(2);
    }

    @Test
    void aDroppedConnectionResumesWithARange() throws Exception {
        registry.model("llama3.2", "1b", weights, null);
        registry.dropNextAfter(weights.length / 3);

        PaddockCli.Run pull = cli.run("pull", "o:llama3.2:1b");

        assertThat(pull.exit()).as(pull.err()).isZero();
        assertThat(Files.readAllBytes(folder("llama3.2", "1b").resolve("llama3.2-1b.gguf")))
                .isEqualTo(weights);
        assertThat(registry.requests())
                .filteredOn(r -> r.startsWith("GET /storage/"))
                .hasSize(2)
                .last()
                .asString()
                .endsWith("Range: bytes=" + weights.length / 3 + "-");
    }

    @Test
    void aPullKilledMidwayResumesWhereItStoppedAcrossProcesses() throws Exception {
        byte[] big = new byte[6_000_000];
        new java.util.Random(5).nextBytes(big);
        registry.model("qwen2.5-coder", "7b-instruct-q4_K_M", big, null);
        registry.throttle(1_000_000);
        Path partial =
                folder("qwen2.5-coder", "7b-instruct-q4_K_M").resolve("qwen2.5-coder-7b-instruct-q4_K_M.gguf.partial");
        Process first = cli.process("pull", "o:qwen2.5-coder:7b-instruct-q4_K_M")
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("first.out").toFile())
                .start();
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(partial) && Files.size(partial) > 1_500_000);
        first.destroyForcibly();
        assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
        long kept = Files.size(partial);

        registry.throttle(-1);
        PaddockCli.Run again = cli.run("pull", "o:qwen2.5-coder:7b-instruct-q4_K_M");

        assertThat(again.exit()).as(again.err()).isZero();
        assertThat(Files.readAllBytes(partial.resolveSibling("qwen2.5-coder-7b-instruct-q4_K_M.gguf")))
                .isEqualTo(big);
        assertThat(registry.requests())
                .filteredOn(r -> r.startsWith("GET /storage/"))
                .last()
                .asString()
                .satisfies(r -> assertThat(Long.parseLong(r.replaceAll(".*Range: bytes=(\\d+)-.*", "$1")))
                        .as("resumed from what the killed pull had written (the blob's digest vouches for it)")
                        .isGreaterThanOrEqualTo(kept));
    }

    @Test
    void bytesThatDoNotMatchTheirDigestAreRefusedAndNothingIsKept() throws Exception {
        registry.model("gemma3", "4b", weights, null);
        byte[] damaged = weights.clone();
        damaged[damaged.length / 2] ^= 1;
        registry.corrupt(weights, damaged);

        PaddockCli.Run pull = cli.run("pull", "o:gemma3:4b");

        assertThat(pull.exit()).isEqualTo(1);
        assertThat(pull.err()).contains("arrived damaged", "Ollama's registry says " + FakeHub.sha256(weights));
        try (Stream<Path> left = Files.list(folder("gemma3", "4b"))) {
            assertThat(left.map(p -> p.getFileName().toString()).filter(n -> !n.endsWith(".lock")))
                    .as("no weights, no partial, no manifest")
                    .isEmpty();
        }
    }

    @Test
    void aModelTheRegistryDoesNotHaveIsModelNotFound() throws Exception {
        PaddockCli.Run pull = cli.run("pull", "o:deepseek-r1:14b");
        assertThat(pull.exit()).isEqualTo(1);
        assertThat(pull.err()).contains("no model o:deepseek-r1:14b", "ollama.com/library");
    }
}
