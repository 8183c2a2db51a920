package dev.paddock.tray;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import dorkbox.jna.linux.GtkEventDispatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps X errors from ending Paddock once Dorkbox has loaded GTK on Linux.
 *
 * <p>Xlib has one error handler per process, shared by every display connection. GTK installs its own when it
 * starts, and GTK 2's handler exits the process on any X error, from any connection: an asynchronous
 * {@code RenderBadPicture} from Java2D's own connection (a picture freed as a window closed) ended the daemon
 * with exit code 1, llama-server's supervisor and all. AWT guards its own start of GTK the same way; Dorkbox
 * does not. One GDK error trap, pushed on GTK's thread and never popped, makes such errors non-fatal: GTK 2
 * reports them to nobody, GTK 3 already ignores connections it does not own and now ignores its own too.
 */
final class XErrors {
    private static final Logger LOG = LoggerFactory.getLogger(XErrors.class);
    private static boolean asked; // under the class's lock
    private static volatile boolean guarded;

    private XErrors() {}

    /**
     * Pushes the trap, on GTK's thread, if GTK is in the process; does nothing on other platforms or when it is not.
     * Returns at once (the caller may be the event thread, which GTK's thread may be waiting on); a failure is
     * logged, never thrown: the tray works without the trap, as it did before it.
     */
    static synchronized void keepNonFatal() {
        if (asked || !System.getProperty("os.name", "").startsWith("Linux")) return;
        asked = true;
        try {
            Function push = NativeLibrary.getProcess().getFunction("gdk_error_trap_push");
            GtkEventDispatch.dispatch(() -> {
                try {
                    push.invokeVoid(new Object[0]);
                    guarded = true;
                    LOG.debug("GDK error trap pushed: X errors are no longer fatal");
                } catch (RuntimeException | LinkageError e) {
                    LOG.warn(
                            "cannot make X errors non-fatal (GTK's handler ends the process on one): {}", e.toString());
                }
            });
        } catch (UnsatisfiedLinkError e) {
            // GTK not loaded: X errors go to AWT's handler, which only logs them
        } catch (RuntimeException | LinkageError e) {
            LOG.warn("cannot make X errors non-fatal (GTK's handler ends the process on one): {}", e.toString());
        }
    }

    /** Whether the trap is in place, for tests. */
    static boolean guarded() {
        return guarded;
    }
}
