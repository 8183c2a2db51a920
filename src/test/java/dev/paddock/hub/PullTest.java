package dev.paddock.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.paddock.core.ErrorCode;
import dev.paddock.core.PaddockException;
import dev.paddock.model.HubRef;
import dev.paddock.model.LocalModel;
import dev.paddock.model.ModelStore;
import dev.paddock.testing.FakeHub;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pulls from a local fake hub: choice of quant, resume, ETag change, checksum, disk space, splits, gating, offline. */
class PullTest {
    private static final String REPO = "Org/Tiny-GGUF";

    @TempDir
    Path dir;

    private FakeHub hub;
    private ModelStore store;
    private byte[] q4;

    @BeforeEach
    void hub() throws Exception {
        hub = new FakeHub();
        store = new ModelStore(dir.resolve("models"));
        q4 = bytes(3_000_000, 1);
        hub.file(REPO, "tiny-Q8_0.gguf", bytes(5000, 2))
                .file(REPO, "tiny-Q4_K_M.gguf", q4)
                .file(REPO, "tiny-Q2_K.gguf", bytes(4000, 3));
    }

    @AfterEach
    void close() {
        hub.close();
    }

    private static byte[] bytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private Puller puller(Map<String, String> env, Puller.FreeSpace space) {
        HubClient client = new HubClient(HubSettings.fromEnvironment(env), HubClient.defaultHttp(), d -> {});
        return new Puller(client, store, Puller.Progress.NONE, space);
    }

    private Puller puller() {
        return puller(
                Map.of(
                        "HF_ENDPOINT",
                        hub.endpoint(),
                        "HF_TOKEN_PATH",
                        dir.resolve("no-token").toString()),
                Puller.FreeSpace.REAL);
    }

    private Path target(String file) {
        return dir.resolve("models/Org/Tiny-GGUF/" + file);
    }

    @Test
    void aFreshPullTakesTheBestQuantVerifiesItAndRecordsIt() throws Exception {
        LocalModel m = puller().pull(HubRef.parse(REPO));
        assertThat(m.file()).isEqualTo(target("tiny-Q4_K_M.gguf"));
        assertThat(Files.readAllBytes(m.file())).isEqualTo(q4);
        assertThat(m.quant()).isEqualTo("Q4_K_M");
        var meta = new ObjectMapper()
                .readTree(target(".metadata.json").toFile())
                .path("files")
                .path("tiny-Q4_K_M.gguf");
        assertThat(meta.path("sha256").asText()).isEqualTo(FakeHub.sha256(q4));
        assertThat(meta.path("size").asLong()).isEqualTo(q4.length);
        assertThat(meta.path("repo").asText()).isEqualTo(REPO);
        assertThat(meta.path("quant").asText()).isEqualTo("Q4_K_M");
        try (Stream<Path> s = Files.list(target(""))) {
            assertThat(s.map(p -> p.getFileName().toString()))
                    .as("no partial left; the lock file stays, so no two processes ever lock different files")
                    .containsExactlyInAnyOrder(".metadata.json", "tiny-Q4_K_M.gguf", "tiny-Q4_K_M.gguf.lock");
        }
        assertThat(hub.requests()).anyMatch(r -> r.startsWith("GET /Org/Tiny-GGUF/resolve/main/tiny-Q4_K_M.gguf"));
        assertThat(hub.requests()).anyMatch(r -> r.startsWith("GET /cdn/Org/Tiny-GGUF/tiny-Q4_K_M.gguf"));
        assertThat(store.find(HubRef.parse(REPO))).get().isEqualTo(m);
    }

    @Test
    void anAskedQuantIsTakenAndAMissingOneListsWhatThereIs() throws Exception {
        assertThat(puller().pull(HubRef.parse(REPO + ":Q8_0")).file()).isEqualTo(target("tiny-Q8_0.gguf"));
        PaddockException e =
                catchThrowableOfType(PaddockException.class, () -> puller().pull(HubRef.parse(REPO + ":Q5_K_M")));
        assertThat(e.code()).isEqualTo(ErrorCode.MODEL_NOT_FOUND);
        assertThat(e.getMessage()).contains("has no Q5_K_M file", "Q4_K_M", "Q8_0", "Q2_K");
    }

    @Test
    void aDroppedConnectionResumesWithRangeAndIfRange() throws Exception {
        hub.dropNextAfter(1_200_000);
        LocalModel m = puller().pull(HubRef.parse(REPO));
        assertThat(Files.readAllBytes(m.file())).isEqualTo(q4);
        assertThat(hub.requests())
                .anyMatch(r -> r.startsWith("GET /cdn/Org/Tiny-GGUF/tiny-Q4_K_M.gguf Range: bytes=")
                        && r.contains("If-Range: \""));
        assertThat(FileDownload.partial(m.file())).doesNotExist();
    }

    @Test
    void bytesArrivingInOddPiecesAreAllWrittenAndVerified() throws Exception {
        // pieces that never line up with the download's buffers or its writes to the file (a prime number of bytes)
        byte[] big = bytes(5_300_000, 17);
        hub.change(REPO, "tiny-Q8_0.gguf", big);
        hub.writeInPiecesOf(7_919);
        LocalModel m = puller().pull(HubRef.parse(REPO + ":Q8_0"));
        assertThat(Files.size(m.file())).isEqualTo(big.length);
        assertThat(Files.readAllBytes(m.file())).isEqualTo(big);
        assertThat(hub.requests())
                .as("one request: nothing was short, nothing resumed")
                .filteredOn(r -> r.startsWith("GET /cdn/"))
                .hasSize(1);
    }

    @Test
    void aBodyThatStallsIsDroppedAndResumed() throws Exception {
        java.time.Duration before = FileDownload.stall;
        FileDownload.stall = java.time.Duration.ofSeconds(2);
        try {
            hub.stallNextAfter(700_000); // then silence, the connection open: no error ever comes by itself
            long t0 = System.nanoTime();
            LocalModel m = puller().pull(HubRef.parse(REPO));
            assertThat(Files.readAllBytes(m.file())).isEqualTo(q4);
            assertThat(hub.requests())
                    .as("the stalled body was given up and the rest asked for")
                    .anyMatch(r -> r.startsWith("GET /cdn/Org/Tiny-GGUF/tiny-Q4_K_M.gguf Range: bytes=700000-"));
            assertThat(java.time.Duration.ofNanos(System.nanoTime() - t0))
                    .as("given up after the stall limit, not after the 30 s silence")
                    .isLessThan(java.time.Duration.ofSeconds(20));
        } finally {
            FileDownload.stall = before;
        }
    }

    @Test
    void aPartialLeftByAnEarlierRunResumesAndAnUpstreamChangeStartsOver() throws Exception {
        // an earlier run stopped after 1 MB
        hub.dropNextAfter(1_000_000);
        Files.createDirectories(target(""));
        Path partial = FileDownload.partial(target("tiny-Q4_K_M.gguf"));
        Files.write(partial, java.util.Arrays.copyOf(q4, 1_000_000));
        Files.writeString(target("tiny-Q4_K_M.gguf.partial.json"), "{\"etag\":\"\\\"e2\\\"\"}");
        hub.dropNextAfter(-1);
        assertThat(Files.readAllBytes(puller().pull(HubRef.parse(REPO)).file())).isEqualTo(q4);
        assertThat(hub.requests()).anyMatch(r -> r.contains("Range: bytes=1000000-") && r.contains("If-Range: \"e2\""));

        // the same kind of partial, but the file changed upstream since: the whole new file, verified
        Files.delete(target("tiny-Q4_K_M.gguf"));
        Files.write(partial, java.util.Arrays.copyOf(q4, 1_000_000));
        byte[] changed = bytes(2_000_000, 9);
        hub.change(REPO, "tiny-Q4_K_M.gguf", changed);
        assertThat(Files.readAllBytes(puller().pull(HubRef.parse(REPO)).file())).isEqualTo(changed);
    }

    @Test
    void aChecksumMismatchKeepsNothing() throws Exception {
        hub.lieAboutSha(REPO, "tiny-Q4_K_M.gguf", "00".repeat(32));
        PaddockException e = catchThrowableOfType(PaddockException.class, () -> puller().pull(HubRef.parse(REPO)));
        assertThat(e.code()).isEqualTo(ErrorCode.DOWNLOAD_FAILED);
        assertThat(e.getMessage()).contains("arrived damaged", FakeHub.sha256(q4));
        assertThat(target("tiny-Q4_K_M.gguf")).doesNotExist();
        assertThat(FileDownload.partial(target("tiny-Q4_K_M.gguf"))).doesNotExist();
        assertThat(target(".metadata.json")).doesNotExist();
        assertThat(store.list()).isEmpty();
    }

    @Test
    void notEnoughDiskSpaceIsAClearErrorAndAPartialIsKept() throws Exception {
        Files.createDirectories(target(""));
        Path partial = FileDownload.partial(target("tiny-Q4_K_M.gguf"));
        Files.write(partial, new byte[1000]);
        Puller p = puller(
                Map.of(
                        "HF_ENDPOINT",
                        hub.endpoint(),
                        "HF_TOKEN_PATH",
                        dir.resolve("none").toString()),
                d -> 1_000_000);
        PaddockException e = catchThrowableOfType(PaddockException.class, () -> p.pull(HubRef.parse(REPO)));
        assertThat(e.code()).isEqualTo(ErrorCode.DOWNLOAD_FAILED);
        assertThat(e.getMessage()).contains("needs 0.0 GB free", "free some space");
        assertThat(partial).exists();
    }

    @Test
    void aSplitModelDownloadsEveryPart() throws Exception {
        byte[] a = bytes(100_000, 5);
        byte[] b = bytes(80_000, 6);
        hub.file("Org/Big-GGUF", "big-Q4_K_M-00001-of-00002.gguf", a)
                .file("Org/Big-GGUF", "big-Q4_K_M-00002-of-00002.gguf", b);
        LocalModel m = puller().pull(HubRef.parse("Org/Big-GGUF"));
        assertThat(m.file().getFileName().toString()).isEqualTo("big-Q4_K_M-00001-of-00002.gguf");
        Path dirOf = dir.resolve("models/Org/Big-GGUF");
        assertThat(Files.readAllBytes(dirOf.resolve("big-Q4_K_M-00002-of-00002.gguf")))
                .isEqualTo(b);
        assertThat(store.list())
                .extracting(LocalModel::displayName)
                .containsExactly("Org/Big-GGUF/big-Q4_K_M-00001-of-00002.gguf");
    }

    @Test
    void offersAreWhatAPullOfEachQuantFetchesSmallestFirst() throws Exception {
        byte[] a = bytes(100_000, 5);
        byte[] b = bytes(80_000, 6);
        hub.file("Org/Big-GGUF", "big-Q4_K_M-00001-of-00002.gguf", a)
                .file("Org/Big-GGUF", "big-Q4_K_M-00002-of-00002.gguf", b)
                .file("Org/Big-GGUF", "big-instruct-Q4_K_M.gguf", bytes(50_000, 7)) // the same quant, another stem
                .file("Org/Big-GGUF", "mmproj-big-F16.gguf", bytes(9_000, 8));
        assertThat(puller().offers(REPO))
                .extracting(o -> o.identifier() + " " + o.size() + " " + o.parts())
                .containsExactly(
                        "h:" + REPO + ":Q2_K 4000 1", "h:" + REPO + ":Q8_0 5000 1", "h:" + REPO + ":Q4_K_M 3000000 1");
        assertThat(puller().offers("Org/Big-GGUF"))
                .as("one offer per quant: the files h:Org/Big-GGUF:Q4_K_M fetches (the first stem), no projector")
                .extracting(o -> o.identifier() + " " + o.size() + " " + o.parts())
                .containsExactly("h:Org/Big-GGUF:Q4_K_M " + (a.length + b.length) + " 2");
        LocalModel m = puller().pull("h:Org/Big-GGUF:Q4_K_M");
        assertThat(m.file().getFileName().toString()).isEqualTo("big-Q4_K_M-00001-of-00002.gguf");
    }

    @Test
    void aGatedRepoSaysHowToGetAccessAndWorksWithTheToken() throws Exception {
        hub.gate(REPO, "hf_secret");
        PaddockException e = catchThrowableOfType(PaddockException.class, () -> puller().pull(HubRef.parse(REPO)));
        assertThat(e.getMessage()).contains("gated or private", "HF_TOKEN", "huggingface-cli login");
        Path tokenFile = Files.writeString(dir.resolve("token"), "hf_secret\n");
        Puller withToken = puller(
                Map.of("HF_ENDPOINT", hub.endpoint(), "HF_TOKEN_PATH", tokenFile.toString()), Puller.FreeSpace.REAL);
        assertThat(Files.readAllBytes(withToken.pull(HubRef.parse(REPO)).file()))
                .isEqualTo(q4);
    }

    @Test
    void anUnknownRepoIsModelNotFoundWithSuggestionsAndOfflineModeFetchesNothing() throws Exception {
        PaddockException e =
                catchThrowableOfType(PaddockException.class, () -> puller().pull(HubRef.parse("Org/Tiny")));
        assertThat(e.code()).isEqualTo(ErrorCode.MODEL_NOT_FOUND);
        assertThat(e.getMessage()).isEqualTo("no repository Org/Tiny on the hub (did you mean h:Org/Tiny-GGUF?)");

        int before = hub.requests().size();
        Puller offline = puller(Map.of("HF_ENDPOINT", hub.endpoint(), "HF_HUB_OFFLINE", "1"), Puller.FreeSpace.REAL);
        PaddockException off = catchThrowableOfType(PaddockException.class, () -> offline.pull(HubRef.parse(REPO)));
        assertThat(off.getMessage()).contains("HF_HUB_OFFLINE is set");
        assertThat(hub.requests()).hasSize(before);
    }
}
