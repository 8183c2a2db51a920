package dev.paddock.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.paddock.testing.FakeHub;
import dev.paddock.testing.LlamaServerBinary;
import dev.paddock.testing.PaddockCli;
import dev.paddock.testing.TestRig;
import dev.paddock.testing.TinyGguf;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** pull, search, rm and load h: as a user runs them, against a local fake hub. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class PullCliTest {
    /** A repository and file named as the hub names them. */
    private static final String REPO = "Qwen/Qwen2.5-0.5B-Instruct-GGUF", FILE = "qwen2.5-0.5b-instruct-q4_k_m.gguf";

    @TempDir
    Path dir;

    private FakeHub hub;
    private PaddockCli cli;
    private Path home;
    private byte[] model;

    @BeforeEach
    void setUp() throws Exception {
        hub = new FakeHub();
        model = Files.readAllBytes(TinyGguf.write(dir.resolve(FILE), "Qwen2.5-0.5B-Instruct", 4));
        hub.file(REPO, FILE, model);
        home = Files.createDirectories(dir.resolve("home"));
        Files.writeString(
                home.resolve("config.yaml"),
                "llama-server: " + LlamaServerBinary.require() + "\nstop-timeout: 2s\njmx: {port: " + TestRig.freePort()
                        + "}\nport: " + TestRig.freePort() + "\n");
        cli = new PaddockCli(home, dir)
                .withEnv("HF_ENDPOINT", hub.endpoint())
                .withEnv("HF_TOKEN_PATH", dir.resolve("no-token").toString());
    }

    @AfterEach
    void tearDown() {
        hub.close();
    }

    private Path pulled() {
        return home.resolve("models/" + REPO + "/" + FILE);
    }

    @Test
    void pullSearchAndRm() throws Exception {
        PaddockCli.Run pull = cli.run("pull", "h:" + REPO);
        assertThat(pull.exit()).as(pull.err()).isZero();
        assertThat(pull.out()).contains("pulled " + REPO + "/" + FILE, "paddock load h:" + REPO + ":Q4_K_M");
        assertThat(pull.err()).contains(FILE + ": ", "(100%)");
        assertThat(Files.readAllBytes(pulled())).isEqualTo(model);

        PaddockCli.Run search = cli.run("search", "qwen2.5-0.5b");
        assertThat(search.exit()).isZero();
        assertThat(search.out()).contains("h:" + REPO, "1000", "2026-11-01");

        PaddockCli.Run rm = cli.run("rm", "h:" + REPO, "--yes");
        assertThat(rm.exit()).as(rm.err()).isZero();
        assertThat(rm.out()).startsWith("deleted " + REPO + "/" + FILE);
        assertThat(pulled()).doesNotExist();
        assertThat(cli.run("rm", "h:" + REPO, "--yes").exit()).isEqualTo(1);
    }

    @Test
    void theHubTokenIsSentButNeverWrittenDown() throws Exception {
        String token = "hf_secret_token_for_the_test_0123";
        hub.gate(REPO, token); // answers only with the token
        PaddockCli withToken = cli.withEnv("HF_TOKEN", token);
        Process daemon = withToken.startDaemon(); // loads h: models, pulling them first, with the token
        try {
            PaddockCli.Run load = withToken.run("load", "h:" + REPO);
            assertThat(load.exit()).as(load.err()).isZero();
            assertThat(ProcessHandle.allProcesses()
                            .map(p -> p.info()
                                    .arguments()
                                    .map(a -> String.join(" ", a))
                                    .orElse(""))
                            .filter(a -> a.contains(token)))
                    .as("on no command line")
                    .isEmpty();
        } finally {
            daemon.destroy();
            daemon.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
        }
        try (var files = Files.walk(home)) {
            for (Path f : files.filter(Files::isRegularFile)
                    .filter(f -> !f.toString().endsWith(".gguf"))
                    .toList()) {
                assertThat(Files.readString(f, java.nio.charset.StandardCharsets.ISO_8859_1))
                        .as("no token in %s", home.relativize(f))
                        .doesNotContain(token);
            }
        }
    }

    /** A 3 MB model served at 600 KB/s: a pull writes its first MiB after ~2 s and ends after ~5 s. */
    private static final String BIG = "bartowski/Llama-3.2-3B-Instruct-GGUF";

    private byte[] slowBigModel() {
        byte[] big = new byte[3_000_000];
        new java.util.Random(9).nextBytes(big);
        hub.file(BIG, "Llama-3.2-3B-Instruct-IQ4_XS.gguf", big);
        hub.throttle(600_000);
        return big;
    }

    private Path pulledBig() {
        return home.resolve("models/" + BIG + "/Llama-3.2-3B-Instruct-IQ4_XS.gguf");
    }

    @Test
    void twoPullsOfOneFileInOneProcessDownloadItOnceAndBothGetIt() throws Exception {
        byte[] big = slowBigModel();
        java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
        Puller puller = new Puller(
                new HubClient(HubSettings.fromEnvironment(java.util.Map.of(
                        "HF_ENDPOINT",
                        hub.endpoint(),
                        "HF_TOKEN_PATH",
                        dir.resolve("no-token").toString()))),
                new dev.paddock.model.ModelStore(home.resolve("models")),
                (file, done, total) -> {
                    if (done > 0) started.countDown();
                },
                Puller.FreeSpace.REAL);
        var first = java.util.concurrent.CompletableFuture.supplyAsync(() -> pull(puller));
        assertThat(started.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        var second = java.util.concurrent.CompletableFuture.supplyAsync(() -> pull(puller));
        assertThat(first).as("the second asked while the first still downloads").isNotDone();

        assertThat(first.get(60, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(pulledBig());
        assertThat(second.get(60, java.util.concurrent.TimeUnit.SECONDS))
                .as("it joined the download under way (two downloads of one file would be refused)")
                .isEqualTo(pulledBig());
        assertThat(Files.readAllBytes(pulledBig())).isEqualTo(big);
        assertThat(hub.requests().stream()
                        .filter(r -> r.startsWith("GET /" + BIG + "/resolve/main/Llama-3.2-3B-Instruct-IQ4_XS.gguf")))
                .as("one download")
                .hasSize(1);
    }

    private Path pull(Puller puller) {
        try {
            return puller.pull(dev.paddock.model.HubRef.parse(BIG)).file();
        } catch (dev.paddock.core.PaddockException e) {
            throw new java.util.concurrent.CompletionException(e);
        }
    }

    @Test
    void aPullOfAFileAnotherProcessIsDownloadingIsDownloadInProgressAndTheLockFileStays() throws Exception {
        byte[] big = slowBigModel();
        Process other = cli.process("pull", "h:" + BIG)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("other-pull.txt").toFile())
                .start();
        Path partial = pulledBig().resolveSibling("Llama-3.2-3B-Instruct-IQ4_XS.gguf.partial");
        await().atMost(java.time.Duration.ofSeconds(30)).until(() -> Files.exists(partial) && Files.size(partial) > 0);

        PaddockCli.Run second = cli.run("pull", "h:" + BIG);

        assertThat(second.exit()).as(second.out() + second.err()).isEqualTo(1);
        assertThat(second.err())
                .contains("Llama-3.2-3B-Instruct-IQ4_XS.gguf is being downloaded by another process (pid " + other.pid()
                        + ")");
        assertThat(other.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(other.exitValue())
                .as(Files.readString(dir.resolve("other-pull.txt")))
                .isZero();
        assertThat(Files.readAllBytes(pulledBig())).isEqualTo(big);
        assertThat(pulledBig().resolveSibling("Llama-3.2-3B-Instruct-IQ4_XS.gguf.lock"))
                .exists();
        assertThat(cli.run("pull", "h:" + BIG).exit())
                .as("and once it is done, a pull finds it whole")
                .isZero();
    }

    private static final String RESUMED = "bartowski/Meta-Llama-3.1-8B-Instruct-GGUF",
            RESUMED_FILE = "Meta-Llama-3.1-8B-Instruct-Q4_K_M.gguf";

    @Test
    void aPullKilledMidwayResumesWhereItStopped() throws Exception {
        byte[] big = new byte[6_000_000];
        new java.util.Random(3).nextBytes(big);
        hub.file(RESUMED, RESUMED_FILE, big);
        hub.throttle(1_000_000);
        Path partial = home.resolve("models/" + RESUMED + "/" + RESUMED_FILE + ".partial");
        Process first = cli.process("pull", "h:" + RESUMED)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("first.out").toFile())
                .start();
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(partial) && Files.size(partial) > 1_500_000);
        first.destroyForcibly();
        assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
        long kept = Files.size(partial);
        assertThat(kept).as("the partial survives the kill").isBetween(1_500_000L, 5_999_999L);

        hub.throttle(-1);
        PaddockCli.Run again = cli.run("pull", "h:" + RESUMED);
        assertThat(again.exit()).as(again.err()).isZero();
        assertThat(Files.readAllBytes(home.resolve("models/" + RESUMED + "/" + RESUMED_FILE)))
                .isEqualTo(big);
        assertThat(hub.requests())
                .filteredOn(r -> r.startsWith("GET /cdn/" + RESUMED + "/" + RESUMED_FILE + " Range: bytes="))
                .singleElement()
                .satisfies(r -> {
                    long from = Long.parseLong(r.replaceAll(".*Range: bytes=(\\d+)-.*", "$1"));
                    assertThat(from)
                            .as("resumed from what the killed pull had written")
                            .isGreaterThanOrEqualTo(kept);
                    assertThat(r).contains("If-Range: \"");
                });
    }

    @Test
    void loadOfAHubModelThatIsNotDownloadedPullsItFirstAndRunsIt() throws Exception {
        Process daemon = cli.startDaemon();
        try {
            PaddockCli.Run load = cli.run("load", "h:" + REPO);
            assertThat(load.exit()).as(load.out() + load.err()).isZero();
            assertThat(load.err())
                    .as("the pull's progress, from the daemon over JMX")
                    .contains("pulling " + FILE + " 100%");
            var status = cli.run("status", "--json").json();
            assertThat(status.path("state").asText()).isEqualTo("running");
            assertThat(status.path("model").asText()).isEqualTo(pulled().toString());
            assertThat(Files.readString(home.resolve("logs/daemon.log"))).contains("pulling " + FILE);

            var ls = cli.run("ls", "--json").json().path("models").get(0);
            assertThat(ls.path("name").asText()).isEqualTo(REPO + "/" + FILE);
            assertThat(ls.path("architecture").asText()).isEqualTo("llama");
            assertThat(ls.path("parameters").asLong()).isPositive();
            assertThat(ls.path("quant").asText()).as("what the header says").isEqualTo("F32");
            assertThat(ls.path("size").asLong()).isEqualTo(model.length);
            assertThat(ls.path("context").asLong()).isEqualTo(2048);
            assertThat(cli.run("ls").out()).contains(REPO + "/" + FILE, "F32", "2048");
            assertThat(cli.run("show", "h:" + REPO).out())
                    .contains("gguf      llama, ", "trained context 2048", "memory    about ");

            PaddockCli.Run rm = cli.run("rm", "h:" + REPO, "--yes");
            assertThat(rm.exit()).as("the running model is not deleted").isEqualTo(1);
            assertThat(rm.err()).contains("paddock unload");
            assertThat(pulled()).exists();
        } finally {
            daemon.destroy();
            daemon.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
