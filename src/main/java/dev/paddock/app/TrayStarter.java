package dev.paddock.app;

import dev.paddock.autostart.Autostart;
import dev.paddock.config.PaddockHome;
import dev.paddock.tray.Desktops;
import dev.paddock.tray.Tray;
import dev.paddock.tray.TrayController;
import dev.paddock.ui.Dialogs;
import java.time.Clock;
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
            running.beforeStop(controller::close);
            Tray.show(controller, System.getenv("PADDOCK_TRAY"));
        } catch (Exception | LinkageError e) {
            log.error("cannot show the tray: {}", e.toString());
        }
    }
}
