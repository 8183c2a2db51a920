package dev.paddock.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.GraphicsEnvironment;

/** For tests that need a display: they fail, never skip, without one (CI runs them under Xvfb with fluxbox). */
public final class Display {
    private Display() {}

    public static void require() {
        assertThat(GraphicsEnvironment.isHeadless())
                .as("this test needs a display: run the tests with scripts/test.sh (Xvfb and fluxbox) or on a desktop")
                .isFalse();
    }
}
