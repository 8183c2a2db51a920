package dev.paddock.app;

import dev.paddock.config.Config;
import dev.paddock.config.ConfigException;
import dev.paddock.config.ConfigLoader;
import dev.paddock.config.PaddockHome;
import dev.paddock.core.PaddockException;
import dev.paddock.gateway.Gateway;
import dev.paddock.gateway.PullEvents;
import dev.paddock.hub.HubClient;
import dev.paddock.hub.HubSettings;
import dev.paddock.hub.ProgressFanout;
import dev.paddock.hub.Puller;
import dev.paddock.jmx.JmxConnector;
import dev.paddock.jmx.SupervisorMBean;
import dev.paddock.model.ModelStore;
import dev.paddock.preset.IdentifierResolver;
import dev.paddock.preset.PresetCatalog;
import dev.paddock.preset.PresetWatcher;
import dev.paddock.supervisor.LaunchPlanner;
import dev.paddock.supervisor.LlamaLog;
import dev.paddock.supervisor.ModelSwitcher;
import dev.paddock.supervisor.ServerRecord;
import dev.paddock.supervisor.ServerRecordStore;
import dev.paddock.supervisor.Supervisor;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The resident Paddock: holds the instance lock, adopts or ends a server a killed predecessor left behind, loads
 * the default preset, and on SIGTERM or Ctrl-C stops the server gracefully before exiting.
 */
public final class Daemon {
    private final PaddockHome home;
    private final PrintStream err;
    private int exitCode;

    public Daemon(PaddockHome home, PrintStream err) {
        this.home = home;
        this.err = err;
    }

    /**
     * Runs until the process is told to stop.
     *
     * @param loadId an identifier to load instead of {@code default-preset}, or null
     * @param console also log to stderr (a foreground run); a detached run logs to daemon.log only
     * @return the exit code: 0 (also when already running), 1 when it cannot start
     */
    public int run(String loadId, boolean console) throws IOException {
        return run(loadId, console, false);
    }

    /**
     * @param tray show the tray (when there is a display); the tray's Quit stops Paddock as SIGTERM does
     */
    public int run(String loadId, boolean console, boolean tray) throws IOException {
        // The hook is in place before anything starts: a SIGTERM mid-start waits for the start, then stops it all.
        CompletableFuture<Optional<Running>> started = new CompletableFuture<>();
        Runtime.getRuntime()
                .addShutdownHook(new Thread(() -> started.join().ifPresent(Running::stop), "paddock-shutdown"));
        Optional<Running> running = Optional.empty();
        try {
            running = start(console);
        } finally {
            started.complete(running);
        }
        if (running.isEmpty()) return exitCode;
        Running r = running.get();
        if (tray) TrayStarter.start(home, r);
        r.loadAtStart(loadId);
        r.awaitStop();
        return 0;
    }

    /**
     * Starts everything but loads nothing: lock, logging, presets, supervisor, MBean and connector. Empty when it
     * cannot start or another Paddock runs for this home (having said why; {@link #run} then exits 1 or 0).
     */
    public Optional<Running> start(boolean console) throws IOException {
        home.ensureLayout();
        Config config;
        try {
            config = ConfigLoader.load(home);
        } catch (ConfigException e) {
            err.println("Paddock cannot start: config.yaml has problems:\n" + e.getMessage());
            exitCode = 1;
            return Optional.empty();
        }
        home.ensureLayout(config.presetsDir(), config.modelsDir());
        Optional<InstanceLock> acquired = InstanceLock.acquire(home);
        if (acquired.isEmpty()) {
            err.println("Paddock is already running for " + home.root()
                    + PidFile.recorded(home).map(p -> " (pid " + p + ")").orElse(""));
            exitCode = 0;
            return Optional.empty();
        }
        DaemonLogging.configure(home.daemonLog(), config, console);
        Logger log = LoggerFactory.getLogger(Daemon.class);
        log.info("Paddock started, pid {}, home {}", ProcessHandle.current().pid(), home.root());

        List<Runnable> presetListeners = new CopyOnWriteArrayList<>();
        PresetWatcher presets = new PresetWatcher(config.presetsDir(), c -> {
            presetListeners.forEach(Runnable::run);
            log.info("presets reloaded: {}", c.names());
            c.problems().forEach(p -> log.warn("preset skipped: {}", p));
        });
        PresetCatalog catalog = presets.catalog();
        catalog.problems().forEach(p -> log.warn("preset skipped: {}", p));
        log.info("{} preset(s) in {}: {}", catalog.presets().size(), config.presetsDir(), catalog.names());
        ModelStore store = new ModelStore(config.modelsDir(), config.extraModelDirs());
        // h: models that are not downloaded yet are pulled first (progress in daemon.log)
        ProgressFanout pulls = new ProgressFanout();
        pulls.add(new PullLog(log));
        Puller puller = new Puller(
                new HubClient(HubSettings.fromEnvironment(System.getenv())), store, pulls, Puller.FreeSpace.REAL);
        IdentifierResolver resolver = new IdentifierResolver(presets::catalog, store, puller);
        LaunchPlanner planner = new LaunchPlanner(config, System.getenv("PATH"));
        ServerRecordStore records = new ServerRecordStore(home.serverRecord());
        LlamaLog llamaLog = new LlamaLog(home.llamaLog(), config.logMaxSize(), config.logMaxFiles());
        Supervisor supervisor = new Supervisor(llamaLog, records, Clock.systemUTC());
        supervisor.addListener((from, to) -> log.info("state {} -> {}", from.name(), to.name()));

        ModelSwitcher switcher = new ModelSwitcher(supervisor, resolver, planner, presets::catalog, store);
        InstanceLock lock = acquired.get();
        // before the connector publishes jmx.url: whoever connects then sees the adopted server, not a passing idle
        boolean adopted = adoptLeftover(records, supervisor, presets.catalog(), log);
        final JmxConnector jmx;
        SupervisorMBean mbean = new SupervisorMBean(switcher);
        pulls.add(mbean::pullProgress);
        // the gateway first: once jmx.url is published (what `start` waits for), everything answers
        Gateway gateway = null;
        try {
            PullEvents pullEvents = new PullEvents();
            pulls.add(pullEvents::update);
            gateway = Gateway.start(config, switcher, pullEvents);
            if (gateway != null) {
                mbean.idleUnloadAt(gateway::idleUnloadAt);
                log.info("gateway at http://{}:{}/v1", config.gateway().host(), gateway.port());
            }
        } catch (IOException | IllegalArgumentException e) {
            // the rest of Paddock works without it: say so, and go on
            log.error(
                    "no gateway: {}:{}: {}",
                    config.gateway().host(),
                    config.gateway().port(),
                    e.getMessage());
            err.println("Paddock runs without its gateway: " + config.gateway().host() + ":"
                    + config.gateway().port() + ": " + e.getMessage()
                    + " (set gateway.port in config.yaml; 0 turns it off)");
        }
        try {
            ManagementFactory.getPlatformMBeanServer().registerMBean(mbean, SupervisorMBean.NAME);
            jmx = JmxConnector.start(config.jmx(), ManagementFactory.getPlatformMBeanServer(), home.jmxUrlFile());
        } catch (IllegalArgumentException | IOException | javax.management.JMException e) {
            log.error(
                    "cannot start the JMX connector on {}:{}: {}",
                    config.jmx().host(),
                    config.jmx().port(),
                    e.getMessage());
            err.println("Paddock cannot start: JMX on " + config.jmx().host() + ":"
                    + config.jmx().port() + ": " + reason(e)
                    + " (set jmx.port in config.yaml; 0 turns the connector off)");
            if (gateway != null) gateway.close();
            unregisterMBean();
            supervisor.close();
            llamaLog.close();
            presets.close();
            lock.close();
            exitCode = 1;
            return Optional.empty();
        }
        if (jmx != null) log.info("JMX connector at {}", jmx.address());
        Gateway openGateway = gateway;
        java.util.function.Supplier<java.time.Instant> idleUnloadAt =
                gateway == null ? () -> null : gateway::idleUnloadAt;
        return Optional.of(new Running(config, switcher, adopted, log, presetListeners, pulls, idleUnloadAt, () -> {
            log.info("stopping: unloading the server first");
            if (openGateway != null) openGateway.close();
            try {
                if (jmx != null) jmx.close();
            } catch (IOException e) {
                log.warn("cannot close the JMX connector: {}", e.getMessage());
            }
            unregisterMBean();
            supervisor.close();
            try {
                presets.close();
            } catch (IOException e) {
                log.warn("cannot stop watching presets: {}", e.getMessage());
            }
            llamaLog.close();
            try {
                lock.close();
            } catch (IOException e) {
                log.warn("cannot release {}: {}", home.lockFile(), e.getMessage());
            }
            log.info("Paddock stopped");
        }));
    }

    /** The port being taken is the likely reason; RMI buries it under its own wrapping. */
    private static String reason(Exception e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof java.net.BindException) return "the port is in use by another program";
        }
        return e.getMessage();
    }

    private static void unregisterMBean() {
        try {
            if (ManagementFactory.getPlatformMBeanServer().isRegistered(SupervisorMBean.NAME))
                ManagementFactory.getPlatformMBeanServer().unregisterMBean(SupervisorMBean.NAME);
        } catch (javax.management.JMException e) {
            // not registered after all: nothing to undo
        }
    }

    /** A started Paddock. {@link #stop} (the shutdown hook, or a caller in the same JVM) ends it once. */
    public static final class Running {
        private final Config config;
        private final ModelSwitcher switcher;
        private final boolean adopted;
        private final Logger log;
        private final Runnable shutdown;
        private final List<Runnable> presetListeners;
        private final ProgressFanout pulls;
        private final java.util.function.Supplier<java.time.Instant> idleUnloadAt;
        private final List<Runnable> beforeStop = new CopyOnWriteArrayList<>();
        private final AtomicBoolean stopping = new AtomicBoolean();
        private final CountDownLatch stopped = new CountDownLatch(1);

        private Running(
                Config config,
                ModelSwitcher switcher,
                boolean adopted,
                Logger log,
                List<Runnable> presetListeners,
                ProgressFanout pulls,
                java.util.function.Supplier<java.time.Instant> idleUnloadAt,
                Runnable shutdown) {
            this.pulls = pulls;
            this.idleUnloadAt = idleUnloadAt;
            this.config = config;
            this.presetListeners = presetListeners;
            this.switcher = switcher;
            this.adopted = adopted;
            this.log = log;
            this.shutdown = shutdown;
        }

        public ModelSwitcher switcher() {
            return switcher;
        }

        public Config config() {
            return config;
        }

        /** When the gateway will unload the running preset for want of requests (its ttl); null when not planned. */
        public java.time.Instant idleUnloadAt() {
            return idleUnloadAt.get();
        }

        /** Told the progress of every pull (a load of a hub model that is not downloaded yet). */
        public void onPullProgress(Puller.Progress p) {
            pulls.add(p);
        }

        /** Runs {@code r} whenever the preset files change. */
        public void onPresetsChanged(Runnable r) {
            presetListeners.add(r);
        }

        /** Runs {@code r} first when Paddock stops (the tray removes its icon). */
        public void beforeStop(Runnable r) {
            beforeStop.add(r);
        }

        /** Loads {@code loadId}, or else the default preset unless a leftover server was adopted. */
        public void loadAtStart(String loadId) {
            String toLoad = loadId != null ? loadId : adopted ? null : config.defaultPreset();
            if (toLoad == null) return;
            try {
                switcher.load(toLoad);
            } catch (PaddockException e) {
                log.error("cannot load '{}': {}", toLoad, e.codedMessage());
            }
        }

        /** Unloads the server (graceful, then forced) and releases everything; later calls wait for the first. */
        public void stop() {
            if (stopping.compareAndSet(false, true)) {
                try {
                    for (Runnable r : beforeStop) {
                        try {
                            r.run();
                        } catch (RuntimeException e) {
                            log.warn("while stopping: {}", e.toString());
                        }
                    }
                    shutdown.run();
                } finally {
                    stopped.countDown();
                }
            }
            awaitStop();
        }

        void awaitStop() {
            try {
                stopped.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static boolean adoptLeftover(
            ServerRecordStore records, Supervisor supervisor, PresetCatalog catalog, Logger log) {
        Optional<ServerRecord> record;
        try {
            record = records.read();
        } catch (IOException e) {
            log.warn("{}", e.getMessage());
            return false;
        }
        if (record.isEmpty()) return false;
        return supervisor
                .adoptOrEnd(record.get(), catalog.byName(record.get().preset()))
                .join();
    }

    /** A pull's progress in daemon.log: a line per tenth. */
    private static final class PullLog implements Puller.Progress {
        private final Logger log;
        private String file;
        private int tenth = -1;

        PullLog(Logger log) {
            this.log = log;
        }

        @Override
        public synchronized void update(String f, long done, long total) {
            int t = total <= 0 ? 0 : (int) (10 * done / total);
            if (f.equals(file) && t == tenth) return;
            file = f;
            tenth = t;
            log.info("pulling {}: {} of {} bytes ({}%)", f, done, total, t * 10);
        }
    }
}
