package dev.paddock.switchboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.paddock.core.ErrorCode;
import dev.paddock.core.PaddockException;
import dev.paddock.supervisor.ServerState;
import dev.paddock.testing.LlamaServerBinary;
import dev.paddock.testing.ProcFs;
import dev.paddock.testing.SwitchboardFixture;
import dev.paddock.testing.TestRig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The switchboard's one rule, on the real llama-server: a switch asked for from anywhere waits for the requests in
 * flight (at most drain-timeout) unless forced, then cuts them with an error naming who switched; loading what runs
 * is a no-op; requests queue behind a switch, boundedly. Requests here are passes held by the test (the gateway's
 * HTTP side has tests of its own).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SwitchboardTest {
    private static final String CODER = "qwen2.5-coder-7b-instruct-q4_k_m";
    private static final String LLAMA = "Meta-Llama-3.1-8B-Instruct.Q4_K_M";

    @TempDir
    Path dir;

    private SwitchboardFixture f;
    private Switchboard board;

    @BeforeEach
    void presets() {
        f = new SwitchboardFixture(dir, LlamaServerBinary.require());
        Path coder = TestRig.tinyModel(dir, "qwen2.5-coder-7b-instruct-q4_k_m", 1);
        Path llama = TestRig.tinyModel(dir, "Meta-Llama-3.1-8B-Instruct-Q4_K_M", 2);
        f.preset(CODER, "model: " + coder + "\nport: auto\ncontext-size: 256\nalias: qwen-coder\n");
        f.preset(LLAMA, "model: " + llama + "\nport: auto\ncontext-size: 256\nttl: 1s\n");
        board = f.switchboard;
    }

    @AfterEach
    void close() {
        f.close();
    }

    private CompletableFuture<ServerState.Running> loadLater(String id, boolean force, Origin origin) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return board.load(id, force, origin);
            } catch (PaddockException e) {
                throw new CompletionException(e);
            }
        });
    }

    private long pid() {
        return board.status().view().pid();
    }

    @Test
    void aSwitchFromAnySurfaceWaitsForTheRequestInFlightAndSaysSo() throws Exception {
        board.load(CODER, false, Origin.CLI);
        Pass stream = board.admit(CODER, Origin.REQUEST);
        CompletableFuture<ServerState.Running> toLlama = loadLater(LLAMA, false, Origin.TRAY);

        await().until(() -> board.status().pending() != null);
        assertThat(board.status().pending()).isEqualTo(new PendingSwitch(LLAMA, "the tray", 1));
        assertThat(board.status().pending().describe()).isEqualTo("switching to " + LLAMA + " after 1 request");
        assertThat(board.status().view().preset())
                .as("the stream's model still runs")
                .isEqualTo(CODER);
        assertThat(toLlama).isNotDone();

        stream.close();
        assertThat(toLlama.get(30, TimeUnit.SECONDS).spec().presetName()).isEqualTo(LLAMA);
        assertThat(stream.cutReason())
                .as("a request that finished is never cut")
                .isNull();
        assertThat(board.status().pending()).isNull();
    }

    @Test
    void requestsArrivingWhileASwitchWaitsQueueBehindItAndMayAskForTheirOwnModelAfter() throws Exception {
        board.load(CODER, false, Origin.CLI);
        Pass stream = board.admit(CODER, Origin.REQUEST);
        CompletableFuture<ServerState.Running> toLlama = loadLater(LLAMA, false, Origin.JMX);
        await().until(() -> board.status().pending() != null);
        CompletableFuture<Pass> late = CompletableFuture.supplyAsync(() -> {
            try {
                return board.admit("qwen-coder", Origin.REQUEST); // by its alias
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        });
        await().until(() -> board.status().queued() == 1);
        assertThat(late).as("queued behind the switch, not let in before it").isNotDone();

        stream.close();
        toLlama.get(30, TimeUnit.SECONDS);
        try (Pass p = late.get(30, TimeUnit.SECONDS)) {
            assertThat(((ServerState.Running) p.server()).spec().presetName()).isEqualTo(CODER);
        }
        assertThat(f.ran()).containsExactly(CODER, LLAMA, CODER);
    }

    @Test
    void aForcedSwitchCutsTheRequestsInFlightAndTheirErrorNamesWhoSwitched() throws Exception {
        board.load(CODER, false, Origin.CLI);
        Pass stream = board.admit(CODER, Origin.REQUEST);
        AtomicBoolean cancelled = new AtomicBoolean();
        stream.onCut(() -> cancelled.set(true));

        ServerState.Running now = board.load(LLAMA, true, new Origin("paddock load --force (the CLI)"));

        assertThat(now.spec().presetName()).isEqualTo(LLAMA);
        assertThat(cancelled).isTrue();
        assertThat(stream.cutReason())
                .isEqualTo("this request was cut: paddock load --force (the CLI) asked for the switch to '" + LLAMA
                        + "' with force");
        stream.close(); // the gateway closes it once it has told its client
        assertThat(board.status().inFlight()).isZero();
    }

    @Test
    void theTraysSwitchNowForcesASwitchThatSomeoneElseAskedFor() throws Exception {
        board.load(CODER, false, Origin.CLI);
        Pass stream = board.admit(CODER, Origin.REQUEST);
        CompletableFuture<ServerState.Running> toLlama = loadLater(LLAMA, false, Origin.GATEWAY_CONTROL);
        await().until(() -> board.status().pending() != null);

        board.forcePending(Origin.TRAY);

        assertThat(toLlama.get(30, TimeUnit.SECONDS).spec().presetName()).isEqualTo(LLAMA);
        assertThat(stream.cutReason())
                .isEqualTo("this request was cut: the tray forced the switch to '" + LLAMA
                        + "' that the gateway's /paddock/load asked for");
    }

    @Test
    void theDrainTimeoutCutsARequestThatHoldsASwitchBackTooLong() throws Exception {
        f.configure(c -> TestRig.withDrainTimeout(c, Duration.ofSeconds(1)));
        board.load(CODER, false, Origin.CLI);
        Pass stuck = board.admit(CODER, Origin.REQUEST);

        ServerState.Running now = board.load(LLAMA, false, Origin.JMX);

        assertThat(now.spec().presetName()).isEqualTo(LLAMA);
        assertThat(stuck.cutReason())
                .isEqualTo("this request was cut: the switch to '" + LLAMA
                        + "' asked for by a JMX client waited the drain-timeout (1s) for it");
    }

    @Test
    void loadingWhatRunsIsANoOpEvenWithAnAutomaticPortAndAnEditReloadsIt() throws Exception {
        board.load(CODER, false, Origin.CLI);
        long first = pid();
        board.load(CODER, false, Origin.JMX);
        board.load("qwen-coder", false, Origin.TRAY);
        board.admit(CODER, Origin.REQUEST).close();
        assertThat(pid())
                .as("the same server, whoever asked and by whichever name")
                .isEqualTo(first);

        f.preset(
                CODER,
                "model: " + dir.resolve("qwen2.5-coder-7b-instruct-q4_k_m.gguf")
                        + "\nport: auto\ncontext-size: 512\nalias: qwen-coder\n");
        assertThat(board.status().presetChange()).isEqualTo("edited");
        board.load(CODER, false, Origin.CLI);
        assertThat(pid()).as("its settings changed: a new server").isNotEqualTo(first);
        assertThat(board.status().presetChange()).isNull();
    }

    /**
     * The spare shell the next switch execs its server in starts once the request that caused this switch has ended,
     * not while the new server answers it; a switch no request waits for (the CLI's) gets its spare at once.
     */
    @Test
    void theNextSwitchsSpareShellWaitsUntilTheRequestThatSwitchedHasEnded() throws Exception {
        // the switchboard's own latest moment (a second) made long, so only its word of quiet can start a spare here
        f.supervisor.supervisor.startSparesWhenQuiet(Duration.ofMinutes(1));
        board.load(LLAMA, false, Origin.CLI);
        await().until(() -> ProcFs.spareShells().size() == 1);
        long spare = ProcFs.spareShells().get(0).pid();

        Pass request = board.admit(CODER, Origin.REQUEST);
        assertThat(board.status().view().preset()).isEqualTo(CODER);
        assertThat(pid()).as("the switch exec'd CODER in that spare").isEqualTo(spare);
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> ProcFs.spareShells()
                .isEmpty());
        request.close();
        await().until(() -> ProcFs.spareShells().size() == 1);
    }

    @Test
    void anUnloadDuringALoadCancelsIt() throws Exception {
        Path fake = TestRig.fakeServerScript(dir);
        f.preset(
                "gpt-oss-20b",
                "model: " + dir.resolve("qwen2.5-coder-7b-instruct-q4_k_m.gguf") + "\nport: auto\nllama-server: " + fake
                        + "\nargs: [\"--fake-loading-ms\", \"20000\"]\n");
        CompletableFuture<ServerState.Running> slow = loadLater("gpt-oss-20b", false, Origin.CLI);
        await().until(() -> board.status().state().equals("loading"));

        board.unload(false, Origin.TRAY);

        assertThat(board.status().state()).isEqualTo("idle");
        assertThat(slow).failsWithin(Duration.ofSeconds(10)).withThrowableThat().withMessageContaining("cancelled");
    }

    @Test
    void theQueueBehindASwitchIsBounded() throws Exception {
        f.configure(c -> TestRig.withQueue(c, 1));
        board.load(CODER, false, Origin.CLI);
        Pass stream = board.admit(CODER, Origin.REQUEST);
        CompletableFuture<ServerState.Running> toLlama = loadLater(LLAMA, false, Origin.CLI);
        await().until(() -> board.status().pending() != null);
        CompletableFuture<Pass> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return board.admit(null, Origin.REQUEST);
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        });
        await().until(() -> board.status().queued() == 1);

        assertThatThrownBy(() -> board.admit(null, Origin.REQUEST)).isInstanceOf(QueueFull.class);

        stream.close();
        toLlama.get(30, TimeUnit.SECONDS);
        waiting.get(30, TimeUnit.SECONDS).close();
    }

    @Test
    void aSwitchThatFailsFailsEveryRequestThatWaitedForItOnce() throws Exception {
        Path fake = TestRig.fakeServerScript(dir);
        f.preset(
                "mistral-small-3.2-24b-instruct-2506",
                "model: " + dir.resolve("qwen2.5-coder-7b-instruct-q4_k_m.gguf") + "\nport: auto\nllama-server: " + fake
                        + "\nargs: [\"--fake-loading-ms\", \"300\", \"--fake-fail-load\", \"1\"]\n");
        board.load(CODER, false, Origin.CLI);
        Pass stream = board.admit(CODER, Origin.REQUEST);
        CompletableFuture<Pass> first = admitLater("mistral-small-3.2-24b-instruct-2506");
        await().until(() -> board.status().pending() != null);
        CompletableFuture<Pass> second = admitLater("mistral-small-3.2");
        await().until(() -> board.status().queued() == 2);

        stream.close();

        for (CompletableFuture<Pass> r : java.util.List.of(first, second)) {
            assertThat(r)
                    .failsWithin(Duration.ofSeconds(30))
                    .withThrowableThat()
                    .havingRootCause()
                    .isInstanceOf(PaddockException.class)
                    .satisfies(e -> assertThat(((PaddockException) e).code()).isEqualTo(ErrorCode.SERVER_FAILED));
        }
        assertThat(f.supervisor.transitions().stream().filter("loading"::equals))
                .as("one load for both requests (and the first one's)")
                .hasSize(2);
    }

    private CompletableFuture<Pass> admitLater(String model) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return board.admit(model, Origin.REQUEST);
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        });
    }

    @Test
    void aPresetWithATtlIsUnloadedOnceIdleAndStatusSaysWhen() throws Exception {
        board.load(LLAMA, false, Origin.CLI);
        board.admit(LLAMA, Origin.REQUEST).close();
        await().until(() -> board.status().idleUnloadAt() != null);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> board.status().state().equals("idle"));
        assertThat(board.status().idleUnloadAt()).isNull();
    }
}
