package dev.paddock.app;

import dev.paddock.config.Config;
import dev.paddock.config.ConfigException;
import dev.paddock.config.ConfigLoader;
import dev.paddock.config.PaddockHome;
import dev.paddock.core.PaddockException;
import dev.paddock.jmx.JmxConnector;
import dev.paddock.jmx.SupervisorMBean;
import dev.paddock.model.ModelFetcher;
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
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The resident Paddock: holds the instance lock, adopts or ends a server a killed predecessor left behind, loads
 * the default preset, and on SIGTERM or Ctrl-C stops the server gracefully before exiting.
 */
public final class Daemon {
    private final PaddockHome home;
    private final PrintStream err;

    public Daemon(PaddockHome home, PrintStream err) {
        this.home = home;
        this.err = err;
    }

    /**
     * Runs until the process is told to stop.
     *
     * @param loadId an identifier to load instead of {@code default-preset}, or null
     * @return the exit code: 0 (also when already running), 1 when it cannot start
     */
    public int runForeground(String loadId) throws IOException {
        return run(loadId, true);
    }

    /**
     * Runs until the process is told to stop.
     *
     * @param console also log to stderr (a foreground run); a detached run logs to daemon.log only
     */
    public int run(String loadId, boolean console) throws IOException {
        home.ensureLayout();
        Config config;
        try {
            config = ConfigLoader.load(home);
        } catch (ConfigException e) {
            err.println("Paddock cannot start: config.yaml has problems:\n" + e.getMessage());
            return 1;
        }
        home.ensureLayout(config.presetsDir(), config.modelsDir());
        Optional<InstanceLock> acquired = InstanceLock.acquire(home);
        if (acquired.isEmpty()) {
            err.println("Paddock is already running for " + home.root()
                    + PidFile.recorded(home).map(p -> " (pid " + p + ")").orElse(""));
            return 0;
        }
        DaemonLogging.configure(home.daemonLog(), config, console);
        Logger log = LoggerFactory.getLogger(Daemon.class);
        log.info("Paddock started, pid {}, home {}", ProcessHandle.current().pid(), home.root());

        PresetWatcher presets = new PresetWatcher(config.presetsDir(), c -> {
            log.info("presets reloaded: {}", c.names());
            c.problems().forEach(p -> log.warn("preset skipped: {}", p));
        });
        PresetCatalog catalog = presets.catalog();
        catalog.problems().forEach(p -> log.warn("preset skipped: {}", p));
        log.info("{} preset(s) in {}: {}", catalog.presets().size(), config.presetsDir(), catalog.names());
        ModelStore store = new ModelStore(config.modelsDir());
        IdentifierResolver resolver = new IdentifierResolver(presets::catalog, store, ModelFetcher.none());
        LaunchPlanner planner = new LaunchPlanner(config, System.getenv("PATH"));
        ServerRecordStore records = new ServerRecordStore(home.serverRecord());
        LlamaLog llamaLog = new LlamaLog(home.llamaLog(), config.logMaxSize(), config.logMaxFiles());
        Supervisor supervisor = new Supervisor(llamaLog, records, Clock.systemUTC());
        supervisor.addListener((from, to) -> log.info("state {} -> {}", from.name(), to.name()));

        ModelSwitcher switcher = new ModelSwitcher(supervisor, resolver, planner, presets::catalog, store);
        InstanceLock lock = acquired.get();
        final JmxConnector jmx;
        try {
            ManagementFactory.getPlatformMBeanServer()
                    .registerMBean(new SupervisorMBean(switcher), SupervisorMBean.NAME);
            jmx = JmxConnector.start(config.jmx(), ManagementFactory.getPlatformMBeanServer(), home.jmxUrlFile());
        } catch (IllegalArgumentException | IOException | javax.management.JMException e) {
            log.error(
                    "cannot start the JMX connector on {}:{}: {}",
                    config.jmx().host(),
                    config.jmx().port(),
                    e.getMessage());
            err.println("Paddock cannot start: JMX on " + config.jmx().host() + ":"
                    + config.jmx().port() + ": " + e.getMessage()
                    + " (set jmx.port in config.yaml; 0 turns the connector off)");
            supervisor.close();
            llamaLog.close();
            presets.close();
            lock.close();
            return 1;
        }
        if (jmx != null) log.info("JMX connector at {}", jmx.address());

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            log.info("stopping: unloading the server first");
                            try {
                                if (jmx != null) jmx.close();
                            } catch (IOException e) {
                                log.warn("cannot close the JMX connector: {}", e.getMessage());
                            }
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
                            stopped.countDown();
                        },
                        "paddock-shutdown"));

        boolean adopted = adoptLeftover(records, supervisor, presets.catalog(), log);
        String toLoad = loadId != null ? loadId : adopted ? null : config.defaultPreset();
        if (toLoad != null) {
            try {
                switcher.load(toLoad);
            } catch (PaddockException e) {
                log.error("cannot load '{}': {}", toLoad, e.codedMessage());
            }
        }
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
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
}
