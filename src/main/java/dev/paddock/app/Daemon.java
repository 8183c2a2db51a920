package dev.paddock.app;

import dev.paddock.config.Config;
import dev.paddock.config.ConfigException;
import dev.paddock.config.ConfigLoader;
import dev.paddock.config.LiveConfig;
import dev.paddock.config.PaddockHome;
import dev.paddock.gateway.Gateway;
import dev.paddock.gateway.PullEvents;
import dev.paddock.hub.Downloads;
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
import dev.paddock.supervisor.PidFile;
import dev.paddock.supervisor.ServerRecord;
import dev.paddock.supervisor.ServerRecordStore;
import dev.paddock.supervisor.Supervisor;
import dev.paddock.switchboard.Switchboard;
import java.io.Closeable;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The resident Paddock: holds the instance lock, adopts or ends a server a killed predecessor left behind, wires the
 * switchboard to its surfaces (JMX, the gateway), and on SIGTERM or Ctrl-C stops the server gracefully before
 * exiting. Wiring only: every decision is the switchboard's.
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
     * @param tray show the tray (when there is a display); the tray's Quit stops Paddock as SIGTERM does
     * @return the exit code: 0 (also when already running), 1 when it cannot start
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
     * Starts everything but loads nothing: lock, logging, presets, supervisor, switchboard, gateway, MBean and
     * connector. Empty when it cannot start or another Paddock runs for this home (having said why; {@link #run}
     * then exits 1 or 0).
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
        Deque<Closeable> opened = new ArrayDeque<>(); // closed in reverse when Paddock stops
        opened.push(acquired.get()::close);
        DaemonLogging logging = DaemonLogging.configure(home, config, console);
        Logger log = LoggerFactory.getLogger(Daemon.class);
        log.info("Paddock started, pid {}, home {}", ProcessHandle.current().pid(), home.root());

        LiveConfig live = new LiveConfig(home, config).watch();
        opened.push(live::close);
        List<Runnable> presetListeners = new CopyOnWriteArrayList<>();
        PresetWatcher presets = new PresetWatcher(config.presetsDir(), c -> {
            presetListeners.forEach(Runnable::run);
            log.info("presets reloaded: {}", c.names());
            c.problems().forEach(p -> log.warn("preset skipped: {}", p));
        });
        opened.push(presets::close);
        PresetCatalog catalog = presets.catalog();
        catalog.problems().forEach(p -> log.warn("preset skipped: {}", p));
        log.info("{} preset(s) in {}: {}", catalog.presets().size(), config.presetsDir(), catalog.names());
        ModelStore store = ModelStore.of(config, System.getenv());
        // h: models that are not downloaded yet are pulled first (progress in daemon.log)
        ProgressFanout pulls = new ProgressFanout();
        pulls.add(new PullLog(log));
        Puller puller = new Puller(
                new HubClient(HubSettings.fromEnvironment(System.getenv())), store, pulls, Puller.FreeSpace.REAL);
        Downloads downloads = new Downloads(puller); // the desktop's downloads, paused and resumed by a person
        pulls.add(downloads);
        IdentifierResolver resolver = new IdentifierResolver(presets::catalog, store, puller);
        LaunchPlanner planner = new LaunchPlanner(live::get, System.getenv("PATH"));
        planner.whyNoServer().ifPresent(why -> log.warn("no llama-server yet, so nothing will load: {}", why));
        ServerRecordStore records = new ServerRecordStore(home.serverRecord());
        LlamaLog llamaLog = new LlamaLog(home.llamaLog(), config.logMaxSize(), config.logMaxFiles());
        opened.push(llamaLog::close);
        Supervisor supervisor = new Supervisor(llamaLog, records, Clock.systemUTC());
        supervisor.stopTimeoutFrom(() -> live.get().stopTimeout());
        supervisor.startAsRouterChildren(RouterInputs.prepare(home.serverInput(), log));
        supervisor.addListener((from, to) -> log.info("state {} -> {}", from.name(), to.name()));
        // before anything may ask for a switch: whoever connects sees the adopted server, not a passing idle
        boolean adopted = adoptLeftover(records, supervisor, catalog, log);
        Switchboard switchboard =
                new Switchboard(supervisor, resolver, planner, presets::catalog, store, live::get, Clock.systemUTC());
        opened.push(supervisor::close); // the server stops after the switchboard and its surfaces close
        opened.push(switchboard::close);
        presetListeners.add(switchboard::presetsChanged);
        live.addListener((before, now, problem, restart) -> {
            if (problem != null)
                log.error("config.yaml was not applied; the last good configuration stays:\n{}", problem);
            else log.info("config.yaml reloaded{}", restart.isEmpty() ? "" : "; needs a restart for " + restart);
            llamaLog.resize(now.logMaxSize(), now.logMaxFiles());
            logging.apply(now);
            log.debug("log-level {} from {}", now.logLevel(), home.configFile());
            switchboard.configChanged(problem, restart);
        });

        SupervisorMBean mbean = new SupervisorMBean(switchboard);
        pulls.add(mbean::pullProgress);
        PullEvents pullEvents = new PullEvents();
        pulls.add(pullEvents::update);
        // the gateway first: once jmx.url is published (what `start` waits for), everything answers
        try {
            Gateway gateway = Gateway.start(live::get, switchboard, pullEvents, puller, home.gatewayUrlFile());
            if (gateway != null) {
                opened.push(gateway::close);
                log.info("gateway at http://{}:{}/v1", config.gateway().host(), gateway.port());
                if (config.gateway().ollamaPort() != 0)
                    log.info(
                            "Ollama's API also at http://{}:{}",
                            config.gateway().host(),
                            config.gateway().ollamaPort());
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
        Shutdown shutdown = new Shutdown(opened, log, home);
        try {
            ManagementFactory.getPlatformMBeanServer().registerMBean(mbean, SupervisorMBean.NAME);
            opened.push(Daemon::unregisterMBean);
            JmxConnector jmx =
                    JmxConnector.start(config.jmx(), ManagementFactory.getPlatformMBeanServer(), home.jmxUrlFile());
            if (jmx != null) {
                opened.push(jmx::close);
                log.info("JMX connector at {}", jmx.address());
            }
        } catch (IllegalArgumentException | IOException | javax.management.JMException e) {
            log.error(
                    "cannot start the JMX connector on {}:{}: {}",
                    config.jmx().host(),
                    config.jmx().port(),
                    e.getMessage());
            err.println("Paddock cannot start: JMX on " + config.jmx().host() + ":"
                    + config.jmx().port() + ": " + reason(e)
                    + " (set jmx.port in config.yaml; 0 turns the connector off)");
            shutdown.run();
            exitCode = 1;
            return Optional.empty();
        }
        return Optional.of(new Running(
                live, switchboard, adopted, log, presetListeners, pulls, puller, downloads, mbean, shutdown));
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

    /** Closes what was opened, newest first; one failure does not keep the rest open. */
    private record Shutdown(Deque<Closeable> opened, Logger log, PaddockHome home) implements Runnable {
        @Override
        public void run() {
            log.info("stopping: unloading the server first");
            while (!opened.isEmpty()) {
                Closeable c = opened.pop();
                try {
                    c.close();
                } catch (IOException | RuntimeException e) {
                    log.warn("while stopping: {}", e.toString());
                }
            }
            log.info("Paddock stopped");
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
