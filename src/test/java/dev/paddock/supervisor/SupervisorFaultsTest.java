package dev.paddock.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.paddock.core.ErrorCode;
import dev.paddock.testing.ProcFs;
import dev.paddock.testing.SupervisorFixture;
import dev.paddock.testing.TestRig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Transitions and faults, driven by the fake llama-server (what a real one cannot be made to do on demand). */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SupervisorFaultsTest {
    private static final Duration GRACE = Duration.ofMillis(1500);

    /** Presets named as people name them: dots, underscores, mixed case. */
    private static final String A = "qwen2.5-coder-7b-instruct-q4_k_m", B = "Meta-Llama-3.1-8B-Instruct.Q4_K_M";

    @TempDir
    Path dir;

    private Path fake;
    private Path model;
    private SupervisorFixture f;

    @BeforeEach
    void setUp() throws IOException {
        fake = TestRig.fakeServerScript(dir);
        model = Files.writeString(dir.resolve("Meta-Llama-3.1-8B-Instruct-Q4_K_M.gguf"), "not read by the fake");
        f = new SupervisorFixture(dir);
    }

    @AfterEach
    void tearDown() {
        f.close();
        assertThat(ProcessHandle.current().children().filter(ProcessHandle::isAlive))
                .as("children left behind")
                .isEmpty();
    }

    private LaunchSpec spec(String name, String... args) {
        return SupervisorFixture.spec(name, fake, model, TestRig.freePort(), GRACE, args);
    }

    /**
     * On llama-server's {@code model loaded} line the server is asked for /health at once, at the endpoint Paddock
     * will use, and only a 200 there makes it running: this fake says the line at once but answers 503 for a minute
     * (as a server would whose preset's args moved it to another port), so its load times out.
     */
    @Test
    void aServerThatSaysModelLoadedIsRunningOnlyOnceItsEndpointAnswers() {
        LoadResult r = f.supervisor
                .load(SupervisorFixture.spec(
                        A,
                        fake,
                        model,
                        TestRig.freePort(),
                        GRACE,
                        Duration.ofSeconds(2),
                        "--fake-loading-ms",
                        "60000",
                        "--fake-say-loaded"))
                .orTimeout(30, TimeUnit.SECONDS)
                .join();
        assertThat(r).isInstanceOfSatisfying(LoadResult.Failed.class, failed -> assertThat(failed.code())
                .isEqualTo(ErrorCode.TIMEOUT));
    }

    @Test
    void loadThenUnloadGoesLoadingRunningStoppingIdle() {
        LoadResult r = f.supervisor.load(spec(A, "--fake-loading-ms", "200")).join();
        assertThat(r).isInstanceOf(LoadResult.Loaded.class);
        assertThat(f.state()).isInstanceOf(ServerState.Running.class);
        f.supervisor.unload().join();
        await().until(() -> f.transitions().size() == 4);
        assertThat(f.transitions()).containsExactly("loading", "running", "stopping", "idle");
        assertThat(f.state()).isInstanceOf(ServerState.Idle.class);
    }

    @Test
    void unloadDuringLoadCancelsTheLoad() {
        CompletableFuture<LoadResult> load = f.supervisor.load(spec("slow", "--fake-loading-ms", "60000"));
        await().until(() -> f.state() instanceof ServerState.Loading l && l.pid() > 0);
        f.supervisor.unload().join();
        assertThat(load.join()).isEqualTo(new LoadResult.Cancelled("unloaded"));
        await().until(() -> f.transitions().size() == 3);
        assertThat(f.transitions()).containsExactly("loading", "stopping", "idle");
    }

    @Test
    void loadDuringStopWaitsForTheOldServerToExit() {
        LaunchSpec a = spec(A, "--fake-ignore-sigterm");
        f.supervisor.load(a).join();
        long pidA = ((ServerState.Running) f.state()).pid();
        CompletableFuture<Void> unload = f.supervisor.unload();
        await().until(() -> f.state() instanceof ServerState.Stopping);
        LoadResult r = f.supervisor.load(spec(B)).join();
        assertThat(r).isInstanceOf(LoadResult.Loaded.class);
        assertThat(ProcessHandle.of(pidA)).as("a is gone before b runs").isEmpty();
        assertThat(unload).isDone();
        await().until(() -> f.transitions().size() == 5);
        assertThat(f.transitions()).containsExactly("loading", "running", "stopping", "loading", "running");
    }

    @Test
    void switchingStopsTheOldServerFirstAndSkipsIdle() {
        f.supervisor.load(spec(A)).join();
        long pidA = ((ServerState.Running) f.state()).pid();
        LoadResult r = f.supervisor.load(spec(B)).join();
        assertThat(((LoadResult.Loaded) r).state().spec().presetName()).isEqualTo(B);
        assertThat(ProcessHandle.of(pidA)).isEmpty();
        await().until(() -> f.transitions().size() == 5);
        assertThat(f.transitions()).containsExactly("loading", "running", "stopping", "loading", "running");
    }

    @Test
    void loadingWhatAlreadyRunsIsANoOp() {
        LaunchSpec a = spec(A);
        f.supervisor.load(a).join();
        long pid = ((ServerState.Running) f.state()).pid();
        LoadResult again = f.supervisor.load(a).join();
        assertThat(((LoadResult.Loaded) again).state().pid()).isEqualTo(pid);
        await().until(() -> f.transitions().size() == 2);
        assertThat(f.transitions()).containsExactly("loading", "running");
    }

    @Test
    void crashWhileRunningGoesFailedWithExitCodeAndLogTail() {
        f.supervisor.load(spec("crashy", "--fake-crash-after-ms", "300")).join();
        await().atMost(Duration.ofSeconds(5)).until(() -> f.state() instanceof ServerState.Failed);
        ServerState.Failed failed = (ServerState.Failed) f.state();
        assertThat(failed.code()).isEqualTo(ErrorCode.SERVER_FAILED);
        assertThat(failed.exitCode()).isEqualTo(3);
        assertThat(failed.lastLines()).last().isEqualTo("GGML_ASSERT failed: fake crash");
        assertThat(failed.message()).contains("crashy", "code 3", "GGML_ASSERT failed: fake crash");
        await().until(() -> f.transitions().size() == 3);
        assertThat(f.transitions()).containsExactly("loading", "running", "failed");
        assertThat(f.records.file()).as("no record of a dead server").doesNotExist();
    }

    @Test
    void crashIsNoticedWithinASecond() {
        LoadResult r = f.supervisor
                .load(spec("crashy", "--fake-crash-after-ms", "500"))
                .join();
        ProcessHandle server =
                ProcessHandle.of(((LoadResult.Loaded) r).state().pid()).orElseThrow();
        server.onExit().join();
        await().atMost(Duration.ofSeconds(1))
                .pollInterval(Duration.ofMillis(5))
                .until(() -> f.state() instanceof ServerState.Failed);
    }

    @Test
    void exitDuringLoadFailsTheLoadWithServerFailed() {
        LoadResult r = f.supervisor
                .load(spec("broken", "--fake-loading-ms", "400", "--fake-fail-load", "1"))
                .join();
        assertThat(r).isInstanceOf(LoadResult.Failed.class);
        assertThat(((LoadResult.Failed) r).code()).isEqualTo(ErrorCode.SERVER_FAILED);
        assertThat(((LoadResult.Failed) r).message()).contains("code 1", "error: failed to load model");
        ServerState.Failed failed = (ServerState.Failed) f.state();
        assertThat(failed.exitCode()).isEqualTo(1);
        await().until(() -> f.transitions().size() == 2);
        assertThat(f.transitions()).containsExactly("loading", "failed");
    }

    @Test
    void sigtermIgnoredIsKilledAfterTheGrace() {
        f.supervisor.load(spec("stubborn", "--fake-ignore-sigterm")).join();
        long pid = ((ServerState.Running) f.state()).pid();
        long t0 = System.nanoTime();
        f.supervisor.unload().join();
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        assertThat(ProcessHandle.of(pid)).isEmpty();
        assertThat(took).isGreaterThanOrEqualTo(GRACE);
        await().until(() -> f.transitions().size() == 4);
        assertThat(f.transitions()).containsExactly("loading", "running", "stopping", "idle");
    }

    @Test
    void anAdoptedServerThatExitsIsNoticedThoughNobodyReapsIt() throws Exception {
        // the server's parent is a shell that became `sleep`: nobody waits for the server, so once it exits it stays a
        // zombie, as a server left by a killed Paddock does under a PID 1 that does not reap
        int port = TestRig.freePort();
        LaunchSpec s = SupervisorFixture.spec("orphan", fake, model, port, GRACE, "--fake-crash-after-ms", "1000");
        String command = s.command().stream()
                .map(a -> "'" + a.replace("'", "'\\''") + "'")
                .collect(java.util.stream.Collectors.joining(" "));
        Process parent = new ProcessBuilder("sh", "-c", command + " >/dev/null 2>&1 & echo $!; exec sleep 600")
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            long pid = Long.parseLong(new java.io.BufferedReader(new java.io.InputStreamReader(parent.getInputStream()))
                    .readLine()
                    .trim());
            HealthProbe probe = new HealthProbe(1000, 2000);
            await().until(() -> probe.status("127.0.0.1", port) == 200);
            ProcessHandle server = ProcessHandle.of(pid).orElseThrow();
            ServerRecord record = new ServerRecord(
                    pid,
                    server.info().startInstant().orElse(null),
                    "orphan",
                    model.toString(),
                    "127.0.0.1",
                    port,
                    s.command(),
                    java.util.Map.of(),
                    10_000,
                    GRACE.toMillis(),
                    s.settings());
            assertThat(f.supervisor
                            .adoptOrEnd(record, java.util.Optional.empty())
                            .join())
                    .isTrue();
            assertThat(f.state()).isInstanceOf(ServerState.Running.class);
            await().atMost(Duration.ofSeconds(10)).until(() -> f.state() instanceof ServerState.Failed);
            assertThat(((ServerState.Failed) f.state()).message()).contains("exited unexpectedly");
            assertThat(server.isAlive())
                    .as("still a zombie: only /proc tells it has exited")
                    .isTrue();
        } finally {
            parent.destroy();
            parent.waitFor();
        }
    }

    @Test
    void aLostSigtermIsSentAgainSoTheServerExitsBeforeTheGrace() throws IOException {
        f.supervisor.load(spec("deaf-once", "--fake-lose-first-sigterm")).join();
        f.supervisor.unload().join();
        await().until(() -> f.transitions().size() == 4);
        assertThat(f.transitions()).containsExactly("loading", "running", "stopping", "idle");
        String log = Files.readString(f.llamaLog.file());
        // the second SIGTERM ended it, not the SIGKILL at the end of the grace
        assertThat(log).contains("fake: SIGTERM lost", "fake: second SIGTERM, exiting");
    }

    @Test
    void stopKillsTheServersDescendantsToo() {
        f.supervisor
                .load(spec("parent", "--fake-spawn-child", "--fake-ignore-sigterm"))
                .join();
        ProcessHandle server =
                ProcessHandle.of(((ServerState.Running) f.state()).pid()).orElseThrow();
        await().until(() -> server.children().findAny().isPresent());
        List<ProcessHandle> descendants = server.descendants().toList();
        f.supervisor.unload().join();
        await().atMost(Duration.ofSeconds(2)).until(() -> descendants.stream().noneMatch(TestRig::isRunning));
    }

    @Test
    void whatAServerLeavesBehindOnAPlainExitIsKilledOnUnloadAndOnSwitch() {
        // the fake exits on SIGTERM and its child does not: an orphan in the server's session
        for (boolean viaSwitch : new boolean[] {false, true}) {
            f.supervisor.load(spec("parent", "--fake-spawn-child")).join();
            ProcessHandle server =
                    ProcessHandle.of(((ServerState.Running) f.state()).pid()).orElseThrow();
            await().until(() -> server.children().findAny().isPresent());
            ProcessHandle orphan = server.children().findFirst().orElseThrow();
            if (viaSwitch) {
                assertThat(f.supervisor.load(spec("next")).join()).isInstanceOf(LoadResult.Loaded.class);
            } else {
                f.supervisor.unload().join();
            }
            // at once after an unload, a second after a switch
            await().atMost(Duration.ofSeconds(5)).until(() -> !TestRig.isRunning(orphan));
            assertThat(TestRig.isRunning(server)).isFalse();
        }
        f.supervisor.unload().join();
    }

    /**
     * A child that shares the server's output keeps it open after the server exits: the output never ends, so the
     * exit is learned from the JDK instead, and the child is then killed with the rest of the server's session.
     */
    @Test
    void aServerWhoseChildHoldsItsOutputOpenStillStopsAndTheChildIsKilled() {
        f.supervisor.load(spec("parent", "--fake-spawn-child-sharing-output")).join();
        ProcessHandle server =
                ProcessHandle.of(((ServerState.Running) f.state()).pid()).orElseThrow();
        await().until(() -> server.children().findAny().isPresent());
        ProcessHandle child = server.children().findFirst().orElseThrow();
        f.supervisor.unload().join();
        assertThat(f.state()).isInstanceOf(ServerState.Idle.class);
        assertThat(TestRig.isRunning(server)).isFalse();
        await().atMost(Duration.ofSeconds(5)).until(() -> !TestRig.isRunning(child));
    }

    @Test
    void healthTimeoutStopsTheServerAndFailsWithTimeout() {
        LaunchSpec slow = SupervisorFixture.spec(
                "slow", fake, model, TestRig.freePort(), GRACE, Duration.ofMillis(1500), "--fake-loading-ms", "600000");
        LoadResult r = f.supervisor.load(slow).join();
        assertThat(((LoadResult.Failed) r).code()).isEqualTo(ErrorCode.TIMEOUT);
        await().until(() -> f.state() instanceof ServerState.Failed);
        assertThat(((ServerState.Failed) f.state()).code()).isEqualTo(ErrorCode.TIMEOUT);
        await().until(() -> f.transitions().size() == 3);
        assertThat(f.transitions()).containsExactly("loading", "stopping", "failed");
    }

    @Test
    void portInUseFailsWithPortInUseAndStartsNoChild() throws IOException {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("127.0.0.1", 0));
            LaunchSpec s = SupervisorFixture.spec(A, fake, model, taken.getLocalPort(), GRACE);
            LoadResult r = f.supervisor.load(s).join();
            assertThat(((LoadResult.Failed) r).code()).isEqualTo(ErrorCode.PORT_IN_USE);
            assertThat(((LoadResult.Failed) r).message())
                    .contains(Integer.toString(taken.getLocalPort()), "port: auto");
            assertThat(ProcessHandle.current().children()).isEmpty();
            await().until(() -> !f.transitions().isEmpty());
            assertThat(f.transitions()).containsExactly("failed");
        }
    }

    @Test
    void missingModelFileFailsWithModelNotFoundAndStartsNoChild() {
        LaunchSpec s = SupervisorFixture.spec("gone", fake, dir.resolve("missing.gguf"), TestRig.freePort(), GRACE);
        LoadResult r = f.supervisor.load(s).join();
        assertThat(((LoadResult.Failed) r).code()).isEqualTo(ErrorCode.MODEL_NOT_FOUND);
        assertThat(((LoadResult.Failed) r).message()).contains("missing.gguf", "gone");
        assertThat(ProcessHandle.current().children()).isEmpty();
        assertThat(f.state()).isInstanceOf(ServerState.Failed.class);
    }

    @Test
    void unloadClearsAFailedState() {
        f.supervisor
                .load(SupervisorFixture.spec("gone", fake, dir.resolve("missing.gguf"), TestRig.freePort(), GRACE))
                .join();
        f.supervisor.unload().join();
        assertThat(f.state()).isInstanceOf(ServerState.Idle.class);
        await().until(() -> f.transitions().size() == 2);
        assertThat(f.transitions()).containsExactly("failed", "idle");
    }

    @Test
    void aLoadSupersededByAnotherIsCancelled() {
        CompletableFuture<LoadResult> first = f.supervisor.load(spec(A, "--fake-loading-ms", "60000"));
        LoadResult second = f.supervisor.load(spec(B)).join();
        assertThat(first.join()).isInstanceOf(LoadResult.Cancelled.class);
        assertThat(((LoadResult.Cancelled) first.join()).reason()).contains("'" + B + "'");
        assertThat(second).isInstanceOf(LoadResult.Loaded.class);
    }

    @Test
    void theRunningServerIsRecordedAndTheRecordRemovedWhenItStops() throws IOException {
        f.supervisor.load(spec(A)).join();
        ServerRecord rec = f.records.read().orElseThrow();
        assertThat(rec.pid()).isEqualTo(((ServerState.Running) f.state()).pid());
        assertThat(rec.preset()).isEqualTo(A);
        f.supervisor.unload().join();
        assertThat(f.records.read()).isEmpty();
    }

    /**
     * Beside a running server waits a spare shell in a session (and process group) of its own; a switch execs the next server
     * in it, so the next server's pid is the spare's, and a new spare waits beside it. An unload ends the spare too.
     */
    @Test
    void aSwitchExecsTheNextServerInTheSpareShellWaitingBesideTheRunningOne() {
        long pidA = runningWithSpare(A);
        ProcessHandle spare = spareBeside(pidA);
        assertThat(ProcFs.groupOf(spare.pid())).as("its own process group").isEqualTo(spare.pid());
        assertThat(ProcFs.sessionOf(spare.pid()))
                .as("its own session: leftovers are swept by it")
                .isEqualTo(spare.pid());

        LoadResult r = f.supervisor.load(spec(B)).join();
        long pidB = ((LoadResult.Loaded) r).state().pid();
        assertThat(pidB).isEqualTo(spare.pid());
        assertThat(ProcessHandle.of(pidA)).isEmpty();
        assertThat(f.supervisor.state()).isInstanceOf(ServerState.Running.class);
        ProcessHandle next = spareBeside(pidB);
        assertThat(next.pid()).isNotEqualTo(pidA);

        f.supervisor.unload().join();
        await().until(() -> !next.isAlive());
        assertThat(ProcessHandle.current().children().filter(ProcessHandle::isAlive))
                .isEmpty();
    }

    /**
     * A preset whose env no process can have (a NUL in a value, written as {@code "\0"} in YAML) fails its load with an
     * error naming the preset, with or without a spare shell beside the running server; the next load still works.
     */
    @Test
    void anEnvNoProcessCanHaveFailsTheLoadInsteadOfHangingIt() {
        runningWithSpare(A);
        LaunchSpec base = spec(B);
        LaunchSpec bad = LaunchSpec.of(
                base.preset(),
                new LaunchSpec.Settings(
                        base.settings().binary(),
                        base.settings().model(),
                        base.settings().host(),
                        base.settings().port(),
                        null,
                        null,
                        null,
                        null,
                        base.settings().args(),
                        java.util.Map.of("LLAMA_ARG_ALIAS", "qwen2.5-coder\0-7b")),
                base.healthTimeout(),
                base.stopTimeout());

        LoadResult r = f.supervisor.load(bad).orTimeout(30, TimeUnit.SECONDS).join();
        assertThat(r).isInstanceOfSatisfying(LoadResult.Failed.class, failed -> {
            assertThat(failed.code()).isEqualTo(ErrorCode.INVALID_PRESET);
            assertThat(failed.message()).contains("'" + B + "'", "env");
        });
        assertThat(f.supervisor.load(spec(A)).orTimeout(30, TimeUnit.SECONDS).join())
                .isInstanceOf(LoadResult.Loaded.class);
    }

    /**
     * Told to wait for quiet (the switchboard tells it so), the supervisor starts no spare shell beside a server that
     * has just become healthy, whose first answers it would slow, until it hears that nothing is asked of the server.
     */
    @Test
    void toldToWaitForQuietTheSpareShellStartsOnceNothingIsAsked() {
        f.supervisor.startSparesWhenQuiet(Duration.ofMinutes(1));
        f.supervisor.load(spec(A)).join();
        long pid = ((ServerState.Running) f.state()).pid();
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> ProcFs.spareShells()
                .isEmpty());
        f.supervisor.quiet();
        spareBeside(pid);
    }

    /** Quiet that never comes (a stream that lasts) holds the spare back only until the latest moment given. */
    @Test
    void toldToWaitForQuietTheSpareShellStillStartsAtTheLatest() {
        f.supervisor.startSparesWhenQuiet(Duration.ofSeconds(2));
        f.supervisor.load(spec(A)).join();
        await().during(Duration.ofMillis(500)).atMost(Duration.ofMillis(1500)).until(() -> ProcFs.spareShells()
                .isEmpty());
        spareBeside(((ServerState.Running) f.state()).pid());
    }

    /** A spare shell that someone ended does not stop the next switch: the server then starts the usual way. */
    @Test
    void aSwitchWorksWhenTheSpareShellIsGone() {
        long pidA = runningWithSpare(A);
        ProcessHandle spare = spareBeside(pidA);
        spare.destroyForcibly();
        await().until(() -> !spare.isAlive());
        LoadResult r = f.supervisor.load(spec(B)).join();
        assertThat(((LoadResult.Loaded) r).state().spec().presetName()).isEqualTo(B);
        assertThat(((LoadResult.Loaded) r).state().pid()).isNotEqualTo(spare.pid());
    }

    /** Loads {@code preset} and returns its server's pid once a spare shell waits beside it. */
    private long runningWithSpare(String preset) {
        f.supervisor.load(spec(preset)).join();
        long pid = ((ServerState.Running) f.state()).pid();
        spareBeside(pid);
        return pid;
    }

    /** The spare shell beside the server {@code pid}, once there is one (see {@link ProcFs#spareShells}). */
    private static ProcessHandle spareBeside(long pid) {
        return await().until(
                        () -> ProcFs.spareShells().stream()
                                .filter(p -> p.pid() != pid)
                                .findFirst(),
                        java.util.Optional::isPresent)
                .orElseThrow();
    }
}
