package dev.paddock.switchboard;

import dev.paddock.core.ErrorCode;
import dev.paddock.core.PaddockException;
import dev.paddock.supervisor.LoadResult;
import dev.paddock.supervisor.ServerState;
import dev.paddock.supervisor.Supervisor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * The one place that decides when a switch happens. Requests run side by side; a switch waits until the requests in
 * flight have finished (at most {@code drain-timeout}, unless forced: then they are cut), and requests that arrive
 * meanwhile queue behind it, in order. A later switch supersedes one that has not finished (the supervisor cancels
 * a load it supersedes), so an unload during a load still cancels it.
 *
 * <p><b>Threading.</b> Every decision is made in {@link #step()} under {@link #lock}, whichever thread brings the
 * event (a request, a switch asked for, a request finishing, the supervisor finishing, a timer): nobody checks and
 * then acts outside it. The lock is never held while waiting; the supervisor's work is asynchronous.
 */
final class Gate implements AutoCloseable {
    private final Supervisor supervisor;
    private final StatusBoard board;
    private final Supplier<Duration> drainTimeout;
    private final IntSupplier queueBound;
    private final ScheduledExecutorService timers;
    private final Clock clock;
    private final List<SwitchListener> switchListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final ReentrantLock lock = new ReentrantLock();

    // guarded by lock
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    private final Set<Ticket> inFlight = new LinkedHashSet<>();
    private Switch pending; // asked for; waits for the requests in flight
    private Switch executing; // handed to the supervisor
    private ScheduledFuture<?> drainTimer;
    private ScheduledFuture<?> idleTimer;
    private Instant idleDue;
    private long idleGeneration;
    private Duration keepAlive; // a client's keep_alive for the server that runs (null: its preset's ttl)
    private ServerState keepAliveFor; // the running state it was given for
    private boolean closed;

    Gate(
            Supervisor supervisor,
            StatusBoard board,
            Supplier<Duration> drainTimeout,
            IntSupplier queueBound,
            ScheduledExecutorService timers,
            Clock clock) {
        this.supervisor = supervisor;
        this.board = board;
        this.drainTimeout = drainTimeout;
        this.queueBound = queueBound;
        this.timers = timers;
        this.clock = clock;
        supervisor.startSparesWhenQuiet(SPARE_LATEST);
    }

    /**
     * How long after a switch the supervisor's spare shell starts at the latest while requests are still in flight;
     * it starts as soon as none is (see {@link Supervisor#startSparesWhenQuiet}).
     */
    static final Duration SPARE_LATEST = Duration.ofSeconds(1);

    void onSwitched(SwitchListener l) {
        switchListeners.add(l);
    }

    // ---- asking -------------------------------------------------------------------------------------------

    /**
     * A switch to {@code target}: done at once when it already runs, else after the requests in flight (cut when
     * {@code force}). The future completes when the switch has ended.
     */
    CompletableFuture<Outcome> ask(Target target, boolean force, Origin origin) {
        CompletableFuture<Outcome> result = new CompletableFuture<>();
        lock.lock();
        try {
            if (closed) {
                result.complete(new Outcome.Cancelled("Paddock is shutting down"));
                return result;
            }
            if (pending == null && executing != null && executing.target.sameAs(target)) {
                executing.askers.add(result); // the same switch is under way: its end is this one's
                return result;
            }
            if (pending != null && pending.target.sameAs(target)) {
                pending.askers.add(result);
                pending.force |= force;
                step();
                return result;
            }
            if (pending == null && executing == null && !needs(target)) {
                result.complete(new Outcome.Done(supervisor.state()));
                return result;
            }
            if (pending != null) {
                pending.cancel("superseded by a switch to " + target.describe() + " asked by " + origin);
            }
            pending = new Switch(target, origin, force, clock.instant().plus(drainTimeout.get()));
            pending.askers.add(result);
            step();
            return result;
        } finally {
            lock.unlock();
        }
    }

    /** Makes the switch that waits for requests go now, cutting them; {@code by} is named in their error. */
    void forcePending(Origin by) {
        lock.lock();
        try {
            if (pending == null) return;
            pending.force = true;
            if (!by.equals(pending.origin)) pending.forcedBy = by;
            step();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Admits a request: at once when no switch is under way and it needs none; otherwise it waits in line, and
     * when its turn comes and it needs a switch, that switch is made first.
     *
     * @throws QueueFull when {@code gateway.queue} requests already wait
     * @throws PaddockException when the switch it needed failed
     */
    Pass admit(Target target, Origin origin) throws QueueFull, PaddockException, InterruptedException {
        Waiter w;
        lock.lock();
        try {
            if (closed) throw new PaddockException(ErrorCode.SERVER_FAILED, "Paddock is shutting down");
            if (pending == null && executing == null && waiters.isEmpty() && !needs(target)) {
                return admitNow();
            }
            int bound = queueBound.getAsInt();
            if (waiters.size() >= bound) throw new QueueFull(bound);
            w = new Waiter(target, origin);
            waiters.addLast(w);
            step();
        } finally {
            lock.unlock();
        }
        try {
            return w.admitted.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof PaddockException p) throw p;
            throw new PaddockException(ErrorCode.SERVER_FAILED, String.valueOf(e.getCause()));
        } catch (InterruptedException e) {
            lock.lock();
            try {
                waiters.remove(w);
            } finally {
                lock.unlock();
            }
            if (w.admitted.isDone() && !w.admitted.isCompletedExceptionally())
                w.admitted.join().close();
            throw e;
        }
    }

    /** The server changed (told after the fact): a server that now runs starts its idle countdown. */
    void serverChanged(ServerState to) {
        lock.lock();
        try {
            if (to instanceof ServerState.Running) armIdle();
            else cancelIdle();
            publish();
        } finally {
            lock.unlock();
        }
    }

    // ---- deciding -----------------------------------------------------------------------------------------

    /** Moves on as far as it can: begin a switch whose wait is over, or admit the waiting requests. */
    private void step() {
        if (pending != null) {
            if (executing == null && !inFlight.isEmpty()) {
                if (!pending.force && clock.instant().isBefore(pending.deadline)) {
                    armDrainTimer(pending);
                    publish();
                    return;
                }
                cutAll(pending.force ? forcedReason(pending) : drainReason(pending));
            }
            Switch s = pending;
            pending = null;
            cancelDrainTimer();
            start(s);
            publish();
            return;
        }
        if (executing != null) {
            publish();
            return;
        }
        while (!waiters.isEmpty()) {
            Waiter w = waiters.peekFirst();
            if (needs(w.target)) {
                Target t = w.target instanceof Target.Whatever wh ? new Target.Launch(wh.fallback()) : w.target;
                pending = new Switch(t, w.origin, false, clock.instant().plus(drainTimeout.get()));
                step();
                return;
            }
            waiters.pollFirst();
            Ticket t = admitNow();
            if (!w.admitted.complete(t)) inFlight.remove(t); // its request gave up waiting
        }
        publish();
    }

    /** Whether running {@code target} needs a switch now. The one test of it. */
    private boolean needs(Target target) {
        ServerState s = supervisor.state();
        if (target instanceof Target.Nothing)
            return !(s instanceof ServerState.Idle || s instanceof ServerState.Failed);
        if (target instanceof Target.Whatever w) return !(s instanceof ServerState.Running) && w.fallback() != null;
        return !(s instanceof ServerState.Running r && r.spec().sameLaunchAs(target.launch()));
    }

    private Ticket admitNow() {
        Ticket t = new Ticket(supervisor.state());
        inFlight.add(t);
        cancelIdle();
        publish();
        return t;
    }

    private void start(Switch s) {
        executing = s;
        s.started = System.nanoTime();
        CompletableFuture<Outcome> run;
        if (s.target instanceof Target.Nothing) {
            run = supervisor.unload().thenApply(v -> new Outcome.Done(supervisor.state()));
        } else {
            run = supervisor.load(s.target.launch()).thenApply(Gate::outcome);
        }
        run.whenComplete((o, e) ->
                finished(s, o != null ? o : new Outcome.Failed(ErrorCode.SERVER_FAILED, "switch failed: " + e)));
    }

    private static Outcome outcome(LoadResult r) {
        if (r instanceof LoadResult.Loaded l) return new Outcome.Done(l.state());
        if (r instanceof LoadResult.Failed f) return new Outcome.Failed(f.code(), f.message());
        return new Outcome.Cancelled(((LoadResult.Cancelled) r).reason());
    }

    private void finished(Switch s, Outcome o) {
        List<Runnable> after = new ArrayList<>();
        lock.lock();
        try {
            if (executing == s) executing = null;
            for (CompletableFuture<Outcome> f : s.askers) after.add(() -> f.complete(o));
            if (o instanceof Outcome.Failed f) failWaitersFor(s.target, f);
            if (o instanceof Outcome.Done && s.target.launch() != null) {
                Duration took = Duration.ofNanos(System.nanoTime() - s.started);
                String preset = s.target.describe();
                for (SwitchListener l : switchListeners) after.add(() -> l.switched(preset, took));
            }
            if (closed) failAllWaiters("Paddock is shutting down");
            else step();
            // a switch nobody's request waited for (the CLI's, the tray's): nothing is asked of the new server
            if (o instanceof Outcome.Done && executing == null && pending == null && inFlight.isEmpty())
                supervisor.quiet();
        } finally {
            lock.unlock();
        }
        after.forEach(Runnable::run);
    }

    /** The requests that waited for a switch that failed get its error: one failure, not one retry each. */
    private void failWaitersFor(Target target, Outcome.Failed f) {
        for (Iterator<Waiter> i = waiters.iterator(); i.hasNext(); ) {
            Waiter w = i.next();
            if (w.target.launch() != null && w.target.sameAs(target)) {
                i.remove();
                w.admitted.completeExceptionally(new PaddockException(f.code(), f.message()));
            }
        }
    }

    private void failAllWaiters(String why) {
        for (Waiter w : waiters) w.admitted.completeExceptionally(new PaddockException(ErrorCode.SERVER_FAILED, why));
        waiters.clear();
    }

    private void cutAll(String reason) {
        List<Ticket> cut = new ArrayList<>(inFlight);
        inFlight.clear();
        cut.forEach(t -> t.cut(reason));
    }

    private static String forcedReason(Switch s) {
        if (s.forcedBy != null)
            return "this request was cut: " + s.forcedBy + " forced " + what(s) + " that " + s.origin + " asked for";
        return "this request was cut: " + s.origin + " asked for " + what(s) + " with force";
    }

    private String drainReason(Switch s) {
        return "this request was cut: " + what(s) + " asked for by " + s.origin + " waited the drain-timeout ("
                + human(drainTimeout.get()) + ") for it";
    }

    /** {@code the switch to 'qwen'} / {@code the unload}. */
    private static String what(Switch s) {
        return s.target.launch() == null ? "the unload" : "the switch to '" + s.target.describe() + "'";
    }

    private static String human(Duration d) {
        return d.toSeconds() % 60 == 0 && d.toMinutes() > 0 ? d.toMinutes() + "m" : d.toSeconds() + "s";
    }

    // ---- timers -------------------------------------------------------------------------------------------

    private void armDrainTimer(Switch s) {
        if (drainTimer != null) return;
        long ms = Math.max(0, Duration.between(clock.instant(), s.deadline).toMillis());
        drainTimer = timers.schedule(
                () -> {
                    lock.lock();
                    try {
                        drainTimer = null;
                        if (pending == s) step();
                    } finally {
                        lock.unlock();
                    }
                },
                ms,
                TimeUnit.MILLISECONDS);
    }

    private void cancelDrainTimer() {
        if (drainTimer != null) drainTimer.cancel(false);
        drainTimer = null;
    }

    /** A running preset with a {@code ttl} is unloaded once that long has passed with no request in flight. */
    private void armIdle() {
        cancelIdle();
        if (closed || !inFlight.isEmpty() || !(supervisor.state() instanceof ServerState.Running r)) return;
        Duration ttl = keepAlive != null && r.equals(keepAliveFor)
                ? keepAlive
                : r.spec().preset().ttl();
        if (ttl == null || ttl.isNegative()) return;
        long gen = ++idleGeneration;
        idleDue = clock.instant().plus(ttl);
        String preset = r.spec().presetName();
        idleTimer = timers.schedule(() -> idle(gen, preset), ttl.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void cancelIdle() {
        if (idleTimer != null) idleTimer.cancel(false);
        idleTimer = null;
        idleDue = null;
        idleGeneration++;
    }

    private void idle(long gen, String preset) {
        lock.lock();
        try {
            if (gen != idleGeneration || !inFlight.isEmpty() || !waiters.isEmpty() || pending != null) return;
            if (executing != null) return;
            idleTimer = null;
            idleDue = null;
            org.slf4j.LoggerFactory.getLogger(Gate.class).info("unloading '{}': idle for its ttl", preset);
            pending = new Switch(new Target.Nothing(), Origin.IDLE, false, clock.instant());
            step();
        } finally {
            lock.unlock();
        }
    }

    private void publish() {
        PendingSwitch p = pending == null
                ? null
                : new PendingSwitch(
                        pending.target.launch() == null ? null : pending.target.describe(),
                        pending.origin.label(),
                        inFlight.size());
        int flying = inFlight.size();
        int queued = waiters.size();
        Instant due = idleDue;
        board.update(s -> {
            if (java.util.Objects.equals(s.pending(), p)
                    && s.inFlight() == flying
                    && s.queued() == queued
                    && java.util.Objects.equals(s.idleUnloadAt(), due)) return s;
            return s.withGate(p, flying, queued).withIdleUnloadAt(due);
        });
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            cancelDrainTimer();
            cancelIdle();
            if (pending != null) pending.cancel("Paddock is shutting down");
            pending = null;
            failAllWaiters("Paddock is shutting down");
        } finally {
            lock.unlock();
        }
    }

    // ---- the parts ----------------------------------------------------------------------------------------

    /** A switch asked for, and whoever waits for its end. */
    private static final class Switch {
        final Target target;
        final Origin origin;
        final Instant deadline;
        final List<CompletableFuture<Outcome>> askers = new ArrayList<>();
        boolean force;
        Origin forcedBy; // who made it force, when not its asker
        long started;

        Switch(Target target, Origin origin, boolean force, Instant deadline) {
            this.target = target;
            this.origin = origin;
            this.force = force;
            this.deadline = deadline;
        }

        void cancel(String why) {
            askers.forEach(f -> f.complete(new Outcome.Cancelled(why)));
            askers.clear();
        }
    }

    /** A request waiting in line. */
    private static final class Waiter {
        final Target target;
        final Origin origin;
        final CompletableFuture<Ticket> admitted = new CompletableFuture<>();

        Waiter(Target target, Origin origin) {
            this.target = target;
            this.origin = origin;
        }
    }

    /** An admitted request. */
    private final class Ticket implements Pass {
        private final ServerState server;
        private volatile String cutReason;
        private final List<Runnable> onCut = new ArrayList<>(1); // guarded by itself

        Ticket(ServerState server) {
            this.server = server;
        }

        @Override
        public ServerState server() {
            return server;
        }

        @Override
        public void onCut(Runnable action) {
            synchronized (onCut) {
                if (cutReason == null) {
                    onCut.add(action);
                    return;
                }
            }
            action.run();
        }

        @Override
        public String cutReason() {
            return cutReason;
        }

        @Override
        public void keepAlive(Duration idle) {
            lock.lock();
            try {
                if (!(server instanceof ServerState.Running) || !server.equals(supervisor.state())) return;
                keepAlive = idle;
                keepAliveFor = server;
            } finally {
                lock.unlock();
            }
        }

        void cut(String reason) {
            List<Runnable> actions;
            synchronized (onCut) {
                cutReason = reason;
                actions = List.copyOf(onCut);
                onCut.clear();
            }
            actions.forEach(Runnable::run);
        }

        @Override
        public void close() {
            lock.lock();
            try {
                if (!inFlight.remove(this)) return; // cut already (no longer counted), or closed twice
                if (inFlight.isEmpty()) {
                    armIdle();
                    // unless an unload waits: it would end the spare at once
                    if (pending == null || pending.target.launch() != null) supervisor.quiet();
                }
                step();
            } finally {
                lock.unlock();
            }
        }
    }
}
