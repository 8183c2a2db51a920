package dev.paddock.app;

import dev.paddock.autostart.Autostart;
import dev.paddock.config.PaddockHome;
import dev.paddock.hub.Puller;
import dev.paddock.hub.ServerSetup;
import dev.paddock.supervisor.LaunchPlanner;
import dev.paddock.tray.Desktops;
import dev.paddock.tray.Tray;
import dev.paddock.tray.TrayController;
import dev.paddock.ui.Dialogs;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Shows the tray for a started daemon when there is a display; a tray that cannot be shown is logged, not fatal. */
final class TrayStarter {
    private static final Logger log = LoggerFactory.getLogger(TrayStarter.class);

    private TrayStarter() {}

    static void start(PaddockHome home, Running running) {
        if (!Tray.displayAvailable()) {
            log.info("no display: running without the tray");
            return;
        }
        try {
            Dialogs dialogs = new Dialogs(
                    home, running.switchboard(), running.liveConfig(), running.puller(), running.downloads());
            TrayController controller = new TrayController(
                    running.switchboard(),
                    home,
                    () -> running.config().presetsDir(),
                    Autostart.forThisPlatform(System.getenv()),
                    new Desktops(),
                    dialogs,
                    running::stop,
                    Clock.systemUTC());
            running.onPresetsChanged(controller::presetsChanged);
            running.onPullProgress(controller::pullProgress);
            running.downloads().addListener(s -> {
                if (s.state() != dev.paddock.hub.Downloads.State.RUNNING) controller.pullStopped();
            });
            running.onShowWindow(name -> {
                switch (name) {
                    case "models" -> controller.models();
                    case "log" -> controller.showLog();
                    default -> {
                        return false;
                    }
                }
                return true;
            });
            controller.offerServerInstall(serverInstall(home, running, System.getenv()));
            running.beforeStop(controller::close);
            Tray.show(controller, System.getenv("PADDOCK_TRAY"));
            dialogs.prewarm(java.time.Duration.ofSeconds(3));
        } catch (Exception | LinkageError e) {
            log.error("cannot show the tray: {}", e.toString());
        }
    }

    /**
     * The tray's "Install llama-server…": the same install as {@code paddock install-server} (its release API from
     * {@code env}), applied at once.
     */
    static TrayController.ServerInstall serverInstall(
            PaddockHome home, Running running, java.util.Map<String, String> env) {
        LaunchPlanner planner = new LaunchPlanner(running::config, env.get("PATH"));
        return new TrayController.ServerInstall() {
            @Override
            public Optional<String> missing() {
                return planner.whyNoServer();
            }

            @Override
            public String install(Puller.Progress progress) throws ServerSetup.Failed {
                ServerSetup.Done done = ServerSetup.install(home, env, null, null, progress);
                running.liveConfig().reload(); // the next load uses it, without waiting for the file watcher
                log.info(
                        "installed llama.cpp {} ({}): {}",
                        done.installed().tag(),
                        done.installed().asset(),
                        done.installed().server());
                return "llama.cpp " + done.installed().tag() + ": " + done.version();
            }
        };
    }
}
