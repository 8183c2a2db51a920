package dev.paddock.supervisor;

import dev.paddock.core.ErrorCode;
import dev.paddock.preset.Preset;
import dev.paddock.supervisor.ServerChild.Failure;
import dev.paddock.supervisor.ServerChild.Phase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps at most one llama-server running and switches it on request.
 *
 * <p><b>Threading.</b> Every decision and every state change happens on one thread, the loop: requests
 * ({@link #load}, {@link #unload}) and process events (healthy, exited, timers) are all posted to it, and the
 * fields below marked <i>loop</i> are touched nowhere else. Nothing on the loop blocks: the health probe runs on
 * a thread of its own and posts its answer back. The state is published through an {@link AtomicReference}, so
 * {@link #state()} never waits, not even during a load or a stop. Listeners are told on a separate thread, in
 * order.
 *
 * <p><b>One child.</b> The loop spawns only when it holds no child, and forgets a child only when its process has
 * exited; so whatever the interleaving of calls, at most one llama-server runs.
 */
public final class Supervisor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Supervisor.class);
    /**
     * The health probe's first wait and its longest: the wait doubles from one to the other while the server loads,
     * once the server before it has said {@code model loaded} (llama-server's line the moment it is ready, on which
     * it is asked at once; see {@link #startProbe}). llama-server answers each probe on a thread of its own,
     * time its load shares on a small machine. A server that has not said it (the first, or one whose build or
     * flags leave the line out) is asked every 2 ms throughout.
     */
    private static final long PROBE_FIRST_NANOS = TimeUnit.MILLISECONDS.toNanos(2),
            PROBE_MAX_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    /**
     * How long after a process exits its last output may take to reach llama.log; and how long the output pump, its
     * output ended, waits for the process to exit before it leaves that to the JDK's notice (see {@link #exitOf}).
     */
    private static final long DRAIN_MS = 500;
    /**
     * A SIGTERM that llama-server receives after it reports healthy but before its main loop has started is lost
     * (starting the loop sets again the flag the signal cleared); a second SIGTERM makes it exit at once. A server
     * still running this long after the first is sent another.
     */
    private static final long RESIGNAL_MS = 500;
    /**
     * How long after a switch the old server's session is swept for leftovers (see {@link #onExit}): the next server
     * has started by then, as a small model's does within tens of milliseconds. An unload, or close, sweeps at once.
     */
    private static final long SWEEP_AFTER_SWITCH_MS = 1000;
    /** How often a server adopted from an earlier Paddock is checked for having exited. */
    private static final long ADOPTED_POLL_MS = 250;
    /** How the JDK turns file names and arguments into bytes for a new process: the same for a spare's script. */
    private static final java.nio.charset.Charset JNU =
            java.nio.charset.Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"));

    private final ScheduledThreadPoolExecutor loop;
    private final ExecutorService notifier;
    /** Starts spare shells, so that the loop never waits for one to start. */
    private final ExecutorService spares;

    /** The thread that starts spare shells: the servers exec'd in them are its children in /proc. */
    public static final String SPARE_THREAD = "paddock-spare-shells";

    private final AtomicReference<ServerState> state;
    private final List<StateListener> listeners = new CopyOnWriteArrayList<>();
    private volatile StateListener inline = (from, to) -> {};
    /** Loop: whether the last server stopped after running had said {@code model loaded} (see PROBE_FIRST_NANOS). */
    private boolean saysLoaded;

    private volatile ProgressListener progress = (pid, value) -> {};
    private volatile java.util.function.Consumer<LaunchSpec> beforeStop = spec -> {};
    private volatile RouterInput routerInput; // null: servers are not started as a router's children
    private volatile java.util.function.Function<LaunchSpec, java.time.Duration> grace = LaunchSpec::stopTimeout;
    private final LlamaLog llamaLog;
    private final ServerRecordStore records;
    private final HealthProbe probe = new HealthProbe(1000, 2000);
    private final Clock clock;

    private ServerChild child; // loop
    private LaunchSpec desired; // loop: what should run; null = nothing
    private CompletableFuture<LoadResult> pendingLoad; // loop: the load waiting for `desired` to be healthy
    private final List<CompletableFuture<Void>> unloadWaiters = new ArrayList<>(); // loop: done once no child is left
    private long generations; // loop
    private final List<Long> sweepsDue = new ArrayList<>(); // loop: sessions of servers gone in a switch, not yet swept
    private boolean closed; // loop
    private Process spare; // loop: a shell waiting to become the next server (ProcessTree.spareShell), or null
    private boolean spareComing; // loop: one is being started
    // null: a spare starts the moment a server becomes healthy; else at quiet(), or this long after healthy at the
    // latest
    private volatile java.time.Duration spareLatest;
    // a running server waits for quiet() to get its spare: quiet() posts to the loop only then
    private volatile boolean spareWanted;
    // the last spare started and not yet become a server, for close() to see it gone
    private final java.util.concurrent.atomic.AtomicReference<Process> lastSpare =
            new java.util.concurrent.atomic.AtomicReference<>();

    public Supervisor(LlamaLog llamaLog, ServerRecordStore records, Clock clock) {
        this.llamaLog = llamaLog;
        this.records = records;
        this.clock = clock;
        this.state = new AtomicReference<>(new ServerState.Idle(clock.instant()));
        this.loop = new ScheduledThreadPoolExecutor(1, r -> daemonThread(r, "paddock-supervisor"));
        this.loop.setRemoveOnCancelPolicy(true);
        this.loop.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.notifier = Executors.newSingleThreadExecutor(r -> daemonThread(r, "paddock-state-listeners"));
        this.spares = Executors.newSingleThreadExecutor(r -> daemonThread(r, SPARE_THREAD));
    }

    /** The current state. Lock-free; never waits for a load or stop in progress. */
    public ServerState state() {
        return state.get();
    }

    public void addListener(StateListener listener) {
        listeners.add(listener);
    }

    public void removeListener(StateListener listener) {
        listeners.remove(listener);
    }

    /**
     * Told of every transition on the supervisor's own loop, inside the publication: after {@link #state()} says
     * so and before whoever waits on a load or unload is answered. For the one owner that mirrors the state into a
     * snapshot of its own (the switchboard); it must be quick and never block.
     */
    public void observeInline(StateListener observer) {
        this.inline = observer;
    }

    /** Told of a loading server's progress (0 to 1), on the loop, when the server reports it. */
    public interface ProgressListener {
        void onProgress(long pid, double value);
    }

    public void observeProgress(ProgressListener listener) {
        this.progress = listener;
    }

    /**
     * From now on the spare shell for the next switch (see {@link ProcessTree#spareShell}) starts when {@link #quiet}
     * says nothing is asked of the running server, or {@code latest} after it became healthy, rather than the moment
     * it became healthy. A spare's start (three programs exec'd one after the other) otherwise competes for the
     * processor with the first answers of the server a request has just switched to. Whoever calls this calls
     * {@code quiet} each time its last request in flight ends.
     */
    public void startSparesWhenQuiet(java.time.Duration latest) {
        if (ProcessTree.SPARE_SHELLS) this.spareLatest = latest; // else there are none to start
    }

    /**
     * Nothing is asked of the running server now: its spare shell starts, if it has none (see {@link
     * #startSparesWhenQuiet}). Does not wait.
     */
    public void quiet() {
        if (!spareWanted) return;
        post(
                () -> {
                    if (child != null && child.phase == Phase.RUNNING) prepareSpare();
                },
                () -> {});
    }

    /**
     * Called on the loop just before a server is asked to stop; it must not block. llama-server takes its time to
     * exit while a client holds an idle keep-alive connection to it (~10 ms, or ~110 ms for a client that never
     * closes one), so whoever holds such connections closes them here.
     */
    public void beforeStopping(java.util.function.Consumer<LaunchSpec> hook) {
        this.beforeStop = hook;
    }

    /**
     * Starts servers as a llama.cpp router starts its children ({@code LLAMA_SERVER_ROUTER_PORT} set), so that they
     * report their load's progress, with {@code input} as their standard input: such a server exits at once when its
     * input ends, and stops gracefully when it reads {@code cmd_router_to_child:exit} there. A server that does not
     * know the protocol loads and stops as before, without a percentage. Null turns it off.
     *
     * <p>With a FIFO, a model smaller than {@link #PROGRESS_MIN_BYTES} starts plain all the same: see there.
     */
    public void startAsRouterChildren(RouterInput input) {
        this.routerInput = input;
    }

    /**
     * The smallest model whose server starts as a router's child. llama-server reports a load's progress at most every
     * 200 ms, besides its start and its end; a smaller model loads within about that time from a disk that reads
     * 350 MB/s (at once from the page cache), so it would report 0 and 1 and hardly anything between. The protocol is
     * not free: the server stops and restarts its logging thread around each report, which cost a switch between two
     * small models about 2 ms, 7% of such a switch, on the 2-core machine of docs/performance.md. The first part of a
     * split model (NAME-00001-of-00003.gguf) may hold no weights at all, so split models always report.
     */
    public static final long PROGRESS_MIN_BYTES = 64L << 20;

    private static final java.util.regex.Pattern SPLIT_PART =
            java.util.regex.Pattern.compile("-\\d{5}-of-\\d{5}\\.gguf$", java.util.regex.Pattern.CASE_INSENSITIVE);

    /** Whether {@code spec}'s model is big enough for its load's progress to be seen (see {@link #PROGRESS_MIN_BYTES}). */
    static boolean progressWorthReporting(LaunchSpec spec) {
        if (SPLIT_PART.matcher(spec.model().getFileName().toString()).find()) return true;
        try {
            return Files.size(spec.model()) >= PROGRESS_MIN_BYTES;
        } catch (IOException e) {
            return true; // preflight has just seen it: gone meanwhile, and the server will say so
        }
    }

    /** Where a router child reads its commands. */
    public sealed interface RouterInput {
        /**
         * A FIFO the server opens for reading and writing itself: its input never ends, not even when Paddock is
         * killed, so the next Paddock can adopt it and still stop it through the same FIFO (POSIX).
         */
        record Fifo(Path path) implements RouterInput {}

        /** The pipe from Paddock: the server ends with Paddock (where there is no FIFO: Windows). */
        record Pipe() implements RouterInput {}
    }

    /** The environment variable that makes llama-server a router's child: it reports its load, and reads stdin. */
    public static final String ROUTER_PORT_ENV = "LLAMA_SERVER_ROUTER_PORT";

    /**
     * Where the SIGTERM grace comes from: by default each launch's own {@code stop-timeout}; the daemon reads the
     * current configuration instead, so an edited {@code stop-timeout} applies to the next stop.
     */
    public void stopTimeoutFrom(java.util.function.Supplier<java.time.Duration> current) {
        this.grace = spec -> current.get();
    }

    /**
     * Runs {@code spec}, stopping whatever runs first. Completes when the server is healthy, when the load fails,
     * or when a later load or an unload cancels it. Loading what already runs completes at once.
     */
    public CompletableFuture<LoadResult> load(LaunchSpec spec) {
        CompletableFuture<LoadResult> result = new CompletableFuture<>();
        post(() -> onLoad(spec, result), () -> result.complete(new LoadResult.Cancelled("Paddock is shutting down")));
        return result;
    }

    /**
     * Stops the server (cancelling a load in progress). Completes when the server that ran has exited, even if a
     * load posted after this one has already started the next.
     */
    public CompletableFuture<Void> unload() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        post(() -> onUnload(done), () -> done.complete(null));
        return done;
    }

    /**
     * Takes over the server a previous run of the app left behind, if it is still the process recorded and
     * answers 200 on {@code /health}; otherwise ends it. Either way the record is consumed.
     *
     * @param preset the current preset of the recorded name, or empty if it no longer exists (the server is then
     *     adopted under a preset made from its model)
     * @return true when adopted, false when there was nothing to adopt or it was ended
     */
    public CompletableFuture<Boolean> adoptOrEnd(ServerRecord record, Optional<Preset> preset) {
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        post(() -> onAdopt(record, preset, done), () -> done.complete(false));
        return done;
    }

    /** Unloads (SIGTERM, grace, SIGKILL) and stops the supervisor's threads. */
    @Override
    public void close() {
        // closed first, in the loop's order: a load asked for after this is refused instead of starting a server
        post(() -> closed = true, () -> {});
        CompletableFuture<Void> stopped = unload();
        post(this::endSpare, () -> {});
        boolean interrupted = false;
        try {
            stopped.get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            interrupted = true;
        } catch (Exception e) {
            log.warn("server did not stop cleanly on close", e);
        } finally {
            spares.shutdown(); // nothing of Paddock's outlives close, the last spare shell included
        }
        loop.shutdown(); // the loop may still publish (the final idle): it ends before the listeners' thread does
        try {
            spares.awaitTermination(5, TimeUnit.SECONDS);
            Process last = lastSpare.get(); // ended by the loop by now, or one the spare thread made meanwhile
            if (last != null) last.destroyForcibly().onExit().get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            interrupted = true;
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            log.warn("a spare shell did not end on close", e);
        }
        try {
            loop.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            interrupted = true;
        } finally {
            notifier.shutdown();
        }
        try {
            notifier.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            interrupted = true;
        }
        if (interrupted) Thread.currentThread().interrupt();
    }

    // ---- the loop ------------------------------------------------------------------------------------------

    private void onLoad(LaunchSpec spec, CompletableFuture<LoadResult> result) {
        if (closed) {
            result.complete(new LoadResult.Cancelled("Paddock is shutting down"));
            return;
        }
        if (pendingLoad != null && desired.sameLaunchAs(spec)) {
            pendingLoad.whenComplete((r, e) -> result.complete(r)); // the same load is already under way: join it
            return;
        }
        if (child != null && child.phase == Phase.RUNNING && child.spec.sameLaunchAs(spec) && pendingLoad == null) {
            result.complete(new LoadResult.Loaded((ServerState.Running) state.get()));
            return;
        }
        cancelPending("superseded by a load of preset '" + spec.presetName() + "'");
        desired = spec;
        pendingLoad = result;
        reconcile();
    }

    private void onUnload(CompletableFuture<Void> done) {
        cancelPending("unloaded");
        desired = null;
        unloadWaiters.add(done);
        if (child == null && state.get() instanceof ServerState.Failed) publish(new ServerState.Idle(clock.instant()));
        reconcile();
    }

    private void onAdopt(ServerRecord record, Optional<Preset> preset, CompletableFuture<Boolean> done) {
        try {
            records.clear();
        } catch (IOException e) {
            log.warn("cannot remove {}: {}", records.file(), e.getMessage());
        }
        Optional<ProcessHandle> process = record.liveProcess();
        if (process.isEmpty()) {
            log.info("recorded llama-server pid {} is gone; nothing to adopt", record.pid());
            done.complete(false);
            return;
        }
        if (child != null) {
            log.warn("ending recorded llama-server pid {}: another server already runs", record.pid());
            ProcessTree.killForcibly(process.get());
            done.complete(false);
            return;
        }
        LaunchSpec spec =
                record.toSpec(preset.orElseGet(() -> Preset.forModel(record.preset(), "f:" + record.model())));
        boolean healthy = probe.status(spec.probeHost(), spec.port()) == 200; // startup only: a brief wait is fine
        // Its exit code is not ours to read (it is not our child): -1.
        ServerChild adopted =
                new ServerChild(++generations, spec, process.get(), null, healthy ? Phase.RUNNING : Phase.LOADING);
        // a server an earlier Paddock started as a router child reads the same FIFO; for one that does not, a line
        // written there is lost when the FIFO is closed
        if (usable(routerInput) instanceof RouterInput.Fifo f) adopted.commands = CommandChannel.fifo(f.path());
        child = adopted;
        watchExit(adopted, exitOfAdopted(process.get()));
        if (healthy) {
            desired = spec;
            saveRecord(adopted);
            log.info(
                    "adopted llama-server pid {} (preset '{}') left running by a previous Paddock",
                    record.pid(),
                    record.preset());
            publish(new ServerState.Running(spec, spec.endpoint(), adopted.handle.pid(), clock.instant()));
            done.complete(true);
            prepareSpare(); // the next switch away from it is as quick as from a server of this run
        } else {
            log.info("ending recorded llama-server pid {}: it does not answer /health with 200", record.pid());
            beginStop(adopted, null);
            done.complete(false);
        }
    }

    /** Moves toward {@code desired}: stop a child that is not it, or start it when no child is left. */
    private void reconcile() {
        if (child != null) {
            boolean wanted = desired != null && desired.sameLaunchAs(child.spec);
            if (!wanted && child.phase != Phase.STOPPING) beginStop(child, null);
            return; // a stopping child must exit before anything else may start
        }
        if (desired != null && pendingLoad != null) {
            spawn(desired);
            return;
        }
        endSpare(); // nothing runs: nothing waits beside it either
        ServerState s = state.get();
        if (!(s instanceof ServerState.Idle) && !(s instanceof ServerState.Failed))
            publish(new ServerState.Idle(clock.instant()));
        releaseUnloadWaiters();
    }

    private void spawn(LaunchSpec planned) {
        LaunchSpec spec;
        try {
            spec = planned.unbound() ? planned.bind(PortCheck.freePort(planned.host())) : planned;
        } catch (IOException e) {
            failLoad(
                    planned,
                    new Failure(
                            ErrorCode.PORT_IN_USE,
                            "cannot find a free port on " + planned.host() + " for preset '" + planned.presetName()
                                    + "': " + e.getMessage()),
                    -1,
                    List.of());
            reconcile();
            return;
        }
        Failure preflight = preflight(spec);
        // port: auto chose a port that was free a moment ago; another program may have bound it since: choose again
        for (int retry = 0;
                preflight != null && preflight.code() == ErrorCode.PORT_IN_USE && planned.unbound() && retry < 5;
                retry++) {
            log.warn(
                    "port {} on {} was taken right after Paddock chose it; choosing another", spec.port(), spec.host());
            try {
                spec = planned.bind(PortCheck.freePort(planned.host()));
            } catch (IOException e) {
                break;
            }
            preflight = preflight(spec);
        }
        if (preflight != null) {
            failLoad(spec, preflight, -1, List.of());
            reconcile();
            return;
        }
        RouterInput input = usable(routerInput);
        // where the input is a FIFO (POSIX), a small model's server starts plain; on Windows the pipe also gives every
        // server its graceful stop and its end with Paddock
        if (input instanceof RouterInput.Fifo && !progressWorthReporting(spec)) input = null;
        Path fifo = input instanceof RouterInput.Fifo f ? f.path() : null;
        java.util.Map<String, String> env = new java.util.LinkedHashMap<>(spec.env());
        if (input != null) env.put(ROUTER_PORT_ENV, "0"); // only its presence counts
        Process process;
        try {
            process = startServer(spec, env, fifo);
        } catch (IOException | IllegalArgumentException e) {
            // IllegalArgumentException: the JDK refuses an environment (a NUL byte, '=' in a name)
            Failure why = e instanceof IOException
                    ? new Failure(ErrorCode.SERVER_NOT_FOUND, "cannot start " + spec.binary() + ": " + e.getMessage())
                    : new Failure(
                            ErrorCode.INVALID_PRESET,
                            "preset '" + spec.presetName() + "' has an env entry no process can have (" + e.getMessage()
                                    + "); fix its env: names without '=', values without NUL characters");
            failLoad(spec, why, -1, List.of());
            reconcile();
            return;
        }
        long gen = ++generations;
        OutputPump pump = new OutputPump(process.getInputStream(), llamaLog, "paddock-llama-log-" + gen);
        CompletableFuture<Integer> exited = exitOf(process, pump); // at once: a server may die within milliseconds
        ServerChild c = new ServerChild(gen, spec, process.toHandle(), pump, Phase.LOADING);
        c.commands = CommandChannel.of(input, process);
        child = c;
        pump.whenProgress(value -> post(() -> onProgress(gen, value), () -> {}));
        startProbe(c); // first: the server may be healthy within milliseconds
        saveRecord(c);
        log.info(
                "started llama-server pid {} for preset '{}': {}",
                process.pid(),
                spec.presetName(),
                String.join(" ", spec.command()));
        publish(new ServerState.Loading(spec, process.pid(), clock.instant()));
        watchExit(c, exited);
        c.timer = loop.schedule(() -> onHealthTimeout(gen), spec.healthTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The server, exec'd in the spare shell when there is one, else started the usual way. */
    private Process startServer(LaunchSpec spec, java.util.Map<String, String> env, Path fifo) throws IOException {
        Process shell = fromSpare(spec, env, fifo);
        if (shell != null) return shell;
        ProcessBuilder pb =
                new ProcessBuilder(ProcessTree.inOwnSession(spec.command(), fifo)).redirectErrorStream(true);
        pb.environment().putAll(env);
        return pb.start();
    }

    /**
     * The spare shell, told to exec the server; null when there is none or it cannot be used (gone, or an
     * environment a shell cannot export): the server then starts the usual way. The spare is used up either way.
     */
    private Process fromSpare(LaunchSpec spec, java.util.Map<String, String> env, Path fifo) {
        Process shell = spare;
        spare = null;
        if (shell == null) return null;
        java.util.Optional<String> script = ProcessTree.execScript(spec.command(), env, fifo);
        if (script.isPresent() && shell.isAlive()) {
            try {
                java.io.OutputStream in = shell.getOutputStream();
                in.write(script.get().getBytes(JNU));
                in.flush();
                lastSpare.compareAndSet(shell, null); // a server now: stopped as one, never killed as a spare
                return shell;
            } catch (IOException gone) {
                // it ended meanwhile
            }
        }
        shell.destroyForcibly();
        return null;
    }

    /**
     * Starts a spare shell beside the running server (once it became healthy, or once {@link #quiet}), for the next
     * switch to exec its server in (see {@link ProcessTree#spareShell}), on a thread of its own: the loop goes on
     * meanwhile.
     */
    private void prepareSpare() {
        spareWanted = false;
        if (!ProcessTree.SPARE_SHELLS || spare != null || spareComing || closed) return;
        spareComing = true;
        try {
            spares.execute(() -> {
                Process made = null;
                try {
                    made = new ProcessBuilder(ProcessTree.spareShell())
                            .redirectErrorStream(true)
                            .start();
                    lastSpare.set(made);
                } catch (IOException | RuntimeException e) {
                    log.debug("no spare shell: {}", e.toString());
                } finally { // always answered, so spareComing never stays set
                    Process shell = made;
                    post(() -> adoptSpare(shell), () -> {
                        if (shell != null) shell.destroyForcibly();
                    });
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            spareComing = false;
        }
    }

    /** Keeps the spare that has just started while a server runs; ends it when nothing runs any more. */
    private void adoptSpare(Process shell) {
        spareComing = false;
        if (shell == null) return;
        if (spare == null && !closed && child != null) spare = shell;
        else shell.destroyForcibly();
    }

    /** Ends the spare shell, if any (its input ends, then it is killed), and returns its process. */
    private Process endSpare() {
        Process shell = spare;
        spare = null;
        if (shell != null) shell.destroyForcibly();
        return shell;
    }

    /** {@code input}, or null when it is a FIFO that is gone (someone cleaned the home): the server then starts plain. */
    private static RouterInput usable(RouterInput input) {
        if (input instanceof RouterInput.Fifo f && !isFifo(f.path())) {
            log.warn("{} is not a FIFO: starting llama-server without load progress", f.path());
            return null;
        }
        return input;
    }

    private static boolean isFifo(Path path) {
        try {
            return Files.readAttributes(path, java.nio.file.attribute.BasicFileAttributes.class)
                    .isOther();
        } catch (IOException e) {
            return false;
        }
    }

    /** What would make a launch fail before it starts, or null. */
    private static Failure preflight(LaunchSpec spec) {
        if (!Files.isRegularFile(spec.model())) {
            return new Failure(
                    ErrorCode.MODEL_NOT_FOUND,
                    "model file " + spec.model() + " of preset '" + spec.presetName()
                            + "' does not exist; fix the preset's model: or download the model");
        }
        if (!Files.isExecutable(spec.binary())) {
            return new Failure(
                    ErrorCode.SERVER_NOT_FOUND, "llama-server " + spec.binary() + " is not an executable file");
        }
        if (!PortCheck.isFree(spec.host(), spec.port())) {
            return new Failure(
                    ErrorCode.PORT_IN_USE,
                    "port " + spec.port() + " on " + spec.host()
                            + " is in use by another program; stop it, or give preset '" + spec.presetName()
                            + "' another port (port: auto picks a free one)");
        }
        return null;
    }

    /**
     * When a server that is not our child exits (-1: its exit code is not ours to read). The JDK learns that by
     * polling less and less often (up to every 5 s), and takes a zombie for alive — an adopted server's parent, the
     * Paddock before this one, is dead, and whoever inherits it may never reap it — so /proc is looked at too.
     */
    private CompletableFuture<Integer> exitOfAdopted(ProcessHandle process) {
        CompletableFuture<Integer> exited = process.onExit().thenApply(p -> -1);
        ScheduledFuture<?> poll = loop.scheduleWithFixedDelay(
                () -> {
                    if (!ProcessTree.running(process)) exited.complete(-1);
                },
                ADOPTED_POLL_MS,
                ADOPTED_POLL_MS,
                TimeUnit.MILLISECONDS);
        exited.whenComplete((code, e) -> poll.cancel(false));
        return exited;
    }

    /**
     * The exit code of a server this Paddock started, once its output has reached llama.log too (so the failed state
     * carries its last words), or {@link #DRAIN_MS} after it exited when something it started holds its output open.
     * Its output ends as it exits: the pump then waits for the exit on its own thread, which learns of it straight
     * from the JDK's reaper; the JDK's {@code onExit}, which hops through the common pool first, is the fallback.
     */
    private static CompletableFuture<Integer> exitOf(Process process, OutputPump pump) {
        CompletableFuture<Integer> exited = new CompletableFuture<>();
        pump.afterEof(() -> {
            try {
                if (process.waitFor(DRAIN_MS, TimeUnit.MILLISECONDS)) exited.complete(process.exitValue());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        process.onExit()
                .thenCompose(p -> pump.eof().completeOnTimeout(null, DRAIN_MS, TimeUnit.MILLISECONDS))
                .thenAccept(v -> exited.complete(process.exitValue()));
        return exited;
    }

    private void watchExit(ServerChild c, CompletableFuture<Integer> exitCode) {
        exitCode.whenComplete((code, e) -> post(() -> onExit(c.generation, code == null ? -1 : code), () -> {}));
    }

    private void startProbe(ServerChild c) {
        c.probing = true;
        long longest = saysLoaded ? PROBE_MAX_NANOS : PROBE_FIRST_NANOS;
        Thread t = new Thread(
                () -> {
                    long wait = PROBE_FIRST_NANOS;
                    while (c.probing) {
                        if (answersHealthy(c)) return;
                        LockSupport.parkNanos(wait);
                        wait = Math.min(2 * wait, longest);
                    }
                },
                "paddock-health-" + c.generation);
        t.setDaemon(true);
        // the server's own word that it is ready: asked at once, on the pump's thread (no hop to the probe's), at the
        // endpoint Paddock will use (a preset's args may have moved the server elsewhere, and the word alone would
        // then make running a server nobody can reach); the probe goes on until the loop has heard a 200
        if (c.pump != null)
            c.pump.whenModelLoaded(() -> {
                c.saidLoaded = true;
                if (!c.probing || !answersHealthy(c)) LockSupport.unpark(t);
            });
        t.start();
    }

    /** Asks {@code c}'s /health once; on a 200 tells the loop (which ignores a second telling) and returns true. */
    private boolean answersHealthy(ServerChild c) {
        if (probe.status(c.spec.probeHost(), c.spec.port()) != 200) return false;
        post(() -> onHealthy(c.generation), () -> {});
        return true;
    }

    private void onProgress(long gen, double value) {
        if (!isCurrent(gen) || child.phase != Phase.LOADING) return;
        child.progress = value;
        progress.onProgress(child.handle.pid(), value);
    }

    private void onHealthy(long gen) {
        if (!isCurrent(gen) || child.phase != Phase.LOADING) return;
        // healthy means loaded: a last report of the load that the probe overtook would say so
        if (child.progress != null && child.progress < 1) onProgress(gen, 1);
        child.probing = false;
        child.cancelTimer();
        child.phase = Phase.RUNNING;
        ServerState.Running running =
                new ServerState.Running(child.spec, child.spec.endpoint(), child.handle.pid(), clock.instant());
        publish(running);
        java.time.Duration latest = spareLatest;
        if (latest != null) { // before the load completes: whoever it completes for may say quiet() at once
            spareWanted = true;
            loop.schedule(
                    () -> {
                        if (isCurrent(gen) && child.phase == Phase.RUNNING) prepareSpare();
                    },
                    latest.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
        if (pendingLoad != null) pendingLoad.complete(new LoadResult.Loaded(running));
        pendingLoad = null;
        if (latest == null) prepareSpare();
        log.info("preset '{}' is running at {}", child.spec.presetName(), running.endpoint()); // after: not on the way
    }

    private void onHealthTimeout(long gen) {
        if (!isCurrent(gen) || child.phase != Phase.LOADING) return;
        Failure f = new Failure(
                ErrorCode.TIMEOUT,
                "preset '" + child.spec.presetName() + "' did not become healthy within "
                        + child.spec.healthTimeout().toSeconds() + "s; see logs/llama.log, or raise health-timeout");
        if (pendingLoad != null) pendingLoad.complete(new LoadResult.Failed(f.code(), f.message()));
        pendingLoad = null;
        desired = null;
        beginStop(child, f);
    }

    /** SIGTERM now; SIGKILL to the process and its descendants once the grace ({@code stop-timeout}) runs out. */
    private void beginStop(ServerChild c, Failure failure) {
        // a server that ran has long written its line by now, if its build writes one
        if (c.phase == Phase.RUNNING && c.pump != null) saysLoaded = c.saidLoaded;
        c.probing = false;
        c.cancelTimer();
        c.phase = Phase.STOPPING;
        c.failOnExit = failure;
        if (!ProcessTree.SWEEPS_SESSIONS)
            c.descendantsAtStop = c.handle.descendants().toList();
        try {
            beforeStop.accept(c.spec);
        } catch (RuntimeException e) {
            log.warn("before stopping pid {}: {}", c.handle.pid(), e.toString());
        }
        c.commands.exit(); // a router child that has loaded waits for this line before it exits, even after SIGTERM
        c.handle.destroy();
        // published after the signal, in the same turn of the loop: nobody sees the exit before this state
        publish(new ServerState.Stopping(c.spec, c.handle.pid(), clock.instant()));
        long gen = c.generation;
        long grace = this.grace.apply(c.spec).toMillis();
        c.timer = loop.schedule(() -> onGraceExpired(gen), grace, TimeUnit.MILLISECONDS);
        long resend = Math.min(RESIGNAL_MS, grace / 2);
        c.resignal = loop.schedule(() -> onStillRunning(gen, resend), resend, TimeUnit.MILLISECONDS);
    }

    private void onStillRunning(long gen, long afterMs) {
        if (!isCurrent(gen) || child.phase != Phase.STOPPING) return;
        log.info("llama-server pid {} still runs {} ms after SIGTERM; sending it again", child.handle.pid(), afterMs);
        child.handle.destroy();
    }

    private void onGraceExpired(long gen) {
        if (!isCurrent(gen) || child.phase != Phase.STOPPING) return;
        log.warn("llama-server pid {} ignored SIGTERM for {}; killing it", child.handle.pid(), grace.apply(child.spec));
        ProcessTree.killForcibly(child.handle);
    }

    private void onExit(long gen, int exitCode) {
        if (!isCurrent(gen)) return;
        ServerChild c = child;
        child = null;
        c.probing = false;
        c.cancelTimer();
        ProcessTree.killSurvivors(c.descendantsAtStop);
        List<String> tail = c.tail();
        switch (c.phase) {
            case STOPPING -> {
                log.info(
                        "llama-server pid {} (preset '{}') stopped, exit code {}",
                        c.handle.pid(),
                        c.spec.presetName(),
                        exitCode);
                if (c.failOnExit != null) publishFailed(c.spec, c.failOnExit, exitCode, tail);
            }
            case LOADING -> failLoad(
                    c.spec,
                    new Failure(
                            ErrorCode.SERVER_FAILED,
                            "llama-server exited with code " + exitCode + " while loading preset '"
                                    + c.spec.presetName() + "'" + lastWords(tail)),
                    exitCode,
                    tail);
            case RUNNING -> {
                desired = null;
                publishFailed(
                        c.spec,
                        new Failure(
                                ErrorCode.SERVER_FAILED,
                                "llama-server of preset '" + c.spec.presetName() + "' exited unexpectedly with code "
                                        + exitCode + lastWords(tail)),
                        exitCode,
                        tail);
            }
        }
        // Then what is left of the server: its record, and whatever it started and left behind. When the next server
        // waits, it starts first (its record replaces the old one), and the process table is scanned for leftovers
        // once it has had time to load: the scan reads every process's /proc entry, processor time the starting server
        // would otherwise share on a small machine.
        boolean next = desired != null && pendingLoad != null;
        if (!next) clearLeftovers(c);
        reconcile();
        if (next && child == null) clearLeftovers(c); // the next one did not start after all
        else if (next) deferSweep(c.handle.pid());
        // the server they asked to stop is gone, whatever runs next; released after reconcile has published the
        // state that follows (idle, or the next load), so a waiter reading the state sees where things are now
        releaseUnloadWaiters();
    }

    private void clearLeftovers(ServerChild c) {
        if (child == null) { // no next server has written its own record over the old one
            try {
                records.clear();
            } catch (IOException e) {
                log.warn("cannot remove {}: {}", records.file(), e.getMessage());
            }
        }
        sweep(c.handle.pid());
        List.copyOf(sweepsDue).forEach(this::sweep); // and those a switch put off: nothing starts now
    }

    /** Sweeps the session of {@code leader}, a server that has exited, once the server after it has had time to load. */
    private void deferSweep(long leader) {
        if (!ProcessTree.SWEEPS_SESSIONS) return;
        sweepsDue.add(leader);
        loop.schedule(
                () -> {
                    if (sweepsDue.contains(leader)) sweep(leader);
                },
                SWEEP_AFTER_SWITCH_MS,
                TimeUnit.MILLISECONDS);
    }

    /** Kills what {@code leader} left in its session (once: a sweep that is due and was done early is not redone). */
    private void sweep(long leader) {
        sweepsDue.remove(Long.valueOf(leader));
        if (!ProcessTree.SWEEPS_SESSIONS) return;
        int killed = ProcessTree.killSession(leader);
        if (killed > 0) log.info("killed {} process(es) llama-server pid {} left behind", killed, leader);
    }

    private void releaseUnloadWaiters() {
        unloadWaiters.forEach(w -> w.complete(null));
        unloadWaiters.clear();
    }

    /** Publishes first, then answers the caller: whoever waits on the load sees the failed state at once. */
    private void failLoad(LaunchSpec spec, Failure f, int exitCode, List<String> tail) {
        desired = null;
        publishFailed(spec, f, exitCode, tail);
        if (pendingLoad != null) pendingLoad.complete(new LoadResult.Failed(f.code(), f.message()));
        pendingLoad = null;
    }

    private void publishFailed(LaunchSpec spec, Failure f, int exitCode, List<String> tail) {
        log.warn("{}: {}", f.code().wireName(), f.message());
        publish(new ServerState.Failed(spec, f.code(), f.message(), exitCode, tail, clock.instant()));
    }

    private void cancelPending(String reason) {
        if (pendingLoad != null) pendingLoad.complete(new LoadResult.Cancelled(reason));
        pendingLoad = null;
    }

    private boolean isCurrent(long gen) {
        return child != null && child.generation == gen;
    }

    private void saveRecord(ServerChild c) {
        try {
            records.save(ServerRecord.of(c.spec, c.handle));
        } catch (IOException e) {
            log.warn(
                    "cannot record the running server in {}: {}; a crash of Paddock would leave it unadopted",
                    records.file(),
                    e.getMessage());
        }
    }

    /** Only the loop calls this, so transitions are published, and seen by listeners, in the order they happen. */
    private void publish(ServerState next) {
        ServerState previous = state.getAndSet(next);
        try {
            inline.onTransition(previous, next);
        } catch (RuntimeException e) {
            log.error("state observer failed", e);
        }
        notifier.execute(() -> {
            for (StateListener l : listeners) {
                try {
                    l.onTransition(previous, next);
                } catch (RuntimeException e) {
                    log.warn("state listener {} failed", l, e);
                }
            }
        });
    }

    private void post(Runnable task, Runnable ifShutDown) {
        try {
            loop.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    log.error("supervisor bug; state kept as it was", e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            ifShutDown.run();
        }
    }

    private static String lastWords(List<String> tail) {
        return tail.isEmpty() ? "" : ": " + tail.get(tail.size() - 1);
    }

    private static Thread daemonThread(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
