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
    private static volatile boolean guarded;

    private XErrors() {}

    /** Pushes the trap if GTK is in the process; does nothing on other platforms or when it is not. */
    static synchronized void keepNonFatal() {
        if (guarded || !System.getProperty("os.name", "").startsWith("Linux")) return;
        Function push;
        try {
            push = NativeLibrary.getProcess().getFunction("gdk_error_trap_push");
        } catch (UnsatisfiedLinkError e) {
            return; // GTK not loaded: X errors go to AWT's handler, which only logs them
        }
        GtkEventDispatch.dispatchAndWait(() -> push.invokeVoid(new Object[0]));
        guarded = true;
        LOG.debug("GDK error trap pushed: X errors are no longer fatal");
    }

    /** Whether the trap is in place, for tests. */
    static boolean guarded() {
        return guarded;
    }
}
