package dev.paddock.tray;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.jna.NativeLibrary;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import dev.paddock.testing.Display;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.swing.SwingUtilities;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An X error after Dorkbox started GTK does not end the process. Without the guard GTK 2's handler exits with
 * code 1 and this test's JVM dies mid-test, which surefire reports as a crashed fork (CI saw it as a
 * {@code RenderBadPicture} from Java2D's connection while a tray test closed its windows).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class XErrorsTest {
    @Test
    void anXErrorOnAnyConnectionLeavesTheProcessRunning() throws Exception {
        Display.require();
        AtomicReference<DorkboxHost> host = new AtomicReference<>();
        SwingUtilities.invokeAndWait(
                () -> host.set(DorkboxHost.create(new TrayFixtures.Clicks()).orElse(null)));
        assertThat(host.get()).as("Dorkbox found the tray host").isNotNull();
        try {
            await().atMost(Duration.ofSeconds(10))
                    .alias("GTK was loaded and the trap pushed")
                    .until(XErrors::guarded);
            // a fresh connection frees pixmap None, which never exists: BadPixmap, to the process-wide handler
            NativeLibrary x11 = NativeLibrary.getInstance("X11");
            Pointer display = (Pointer) x11.getFunction("XOpenDisplay").invoke(Pointer.class, new Object[] {null});
            assertThat(display).as("a second connection to the test display").isNotNull();
            x11.getFunction("XFreePixmap").invokeInt(new Object[] {display, new NativeLong(0)});
            x11.getFunction("XSync").invokeInt(new Object[] {display, 0}); // the error arrives here
            x11.getFunction("XCloseDisplay").invokeInt(new Object[] {display});
            assertThat(ProcessHandle.current().isAlive()).isTrue(); // reached only if the handler returned
        } finally {
            SwingUtilities.invokeAndWait(() -> host.get().close());
        }
    }
}
