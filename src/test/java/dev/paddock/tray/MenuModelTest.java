package dev.paddock.tray;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.core.ErrorCode;
import dev.paddock.preset.Preset;
import dev.paddock.supervisor.LaunchSpec;
import dev.paddock.supervisor.ServerState;
import dev.paddock.switchboard.Status;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MenuModelTest {
    private static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");
    /** Presets named as the hub names their models. */
    private static final String A = "Meta-Llama-3.1-8B-Instruct-Q4_K_M",
            B = "qwen2.5-coder-7b-instruct-q4_k_m",
            C = "gemma-3-27b-it-qat-q4_0";

    private static final List<String> PRESETS = List.of(A, B, C);

    private static LaunchSpec spec(String preset) {
        return LaunchSpec.of(
                Preset.forModel(preset, "f:/m/" + preset + ".gguf"),
                new LaunchSpec.Settings(
                        Path.of("/bin/llama-server"),
                        Path.of("/m/" + preset + ".gguf"),
                        "127.0.0.1",
                        8080,
                        null,
                        null,
                        null,
                        null,
                        List.of(),
                        Map.of()),
                Duration.ofSeconds(30),
                Duration.ofSeconds(2));
    }

    @Test
    void idleShowsEveryPresetUncheckedAndNothingToUnload() {
        MenuModel m = MenuModel.of(Status.of(new ServerState.Idle(NOW)), PRESETS, null, false, NOW);
        assertThat(m.status()).isEqualTo("Idle");
        assertThat(m.icon()).isEqualTo(TrayIcons.Kind.IDLE);
        assertThat(m.presets()).extracting(MenuModel.PresetItem::checked).containsOnly(false);
        assertThat(m.canUnload()).isFalse();
        assertThat(m.endpoint()).isNull();
    }

    @Test
    void runningChecksItsPresetAndOffersTheEndpoint() {
        ServerState s =
                new ServerState.Running(spec(B), URI.create("http://127.0.0.1:8080"), 42, NOW.minusSeconds(150));
        MenuModel m = MenuModel.of(Status.of(s), PRESETS, null, true, NOW);
        assertThat(m.status()).isEqualTo("Running " + B);
        assertThat(m.tooltip()).isEqualTo("Paddock: " + B + "\nhttp://127.0.0.1:8080, up 2m");
        assertThat(m.presets())
                .containsExactly(
                        new MenuModel.PresetItem(A, false, false),
                        new MenuModel.PresetItem(B, true, false),
                        new MenuModel.PresetItem(C, false, false));
        assertThat(m.endpoint()).isEqualTo("http://127.0.0.1:8080");
        assertThat(m.canUnload()).isTrue();
        assertThat(m.autostart()).isTrue();
        assertThat(m.entries())
                .filteredOn(e -> e instanceof MenuModel.Entry.Action)
                .extracting(e -> ((MenuModel.Entry.Action) e).label())
                .as("the desktop's windows, from the menu")
                .contains("Models…", "Show log…");
    }

    @Test
    void loadingMarksThePresetLoadingAndAClickedOneShowsAsLoadingAtOnce() {
        MenuModel loading =
                MenuModel.of(Status.of(new ServerState.Loading(spec(C), 7, NOW)), PRESETS, null, false, NOW);
        assertThat(loading.icon()).isEqualTo(TrayIcons.Kind.LOADING);
        assertThat(loading.presets().get(2)).isEqualTo(new MenuModel.PresetItem(C, false, true));
        assertThat(loading.presets().get(2).label()).isEqualTo(C + "  (loading…)");
        assertThat(loading.status()).isEqualTo("Loading " + C + "…");
        Status advanced =
                new Status(new ServerState.Loading(spec(C), 7, NOW), null, null, 0, 0, null, null, List.of(), 0.427);
        assertThat(MenuModel.of(advanced, PRESETS, null, false, NOW).status())
                .as("the server's own report of its load")
                .isEqualTo("Loading " + C + "… 42%");
        assertThat(MenuModel.of(advanced, PRESETS, null, false, NOW).progress())
                .as("for the icon's arc")
                .isEqualTo(0.427);
        assertThat(loading.progress()).as("no report yet: the arc turns").isEqualTo(-1);

        ServerState running = new ServerState.Running(spec(A), URI.create("http://127.0.0.1:8080"), 1, NOW);
        MenuModel clicked = MenuModel.of(Status.of(running), PRESETS, B, false, NOW);
        assertThat(clicked.status()).isEqualTo("Loading " + B + "…");
        assertThat(clicked.icon()).isEqualTo(TrayIcons.Kind.LOADING);
        assertThat(clicked.presets())
                .containsExactly(
                        new MenuModel.PresetItem(A, false, false),
                        new MenuModel.PresetItem(B, false, true),
                        new MenuModel.PresetItem(C, false, false));
    }

    @Test
    void failedShowsTheFailureAndAllowsClearingIt() {
        ServerState f = new ServerState.Failed(spec(A), ErrorCode.SERVER_FAILED, "exited", 3, List.of(), NOW);
        MenuModel m = MenuModel.of(Status.of(f), PRESETS, null, false, NOW);
        assertThat(m.status()).isEqualTo("Failed: " + A);
        assertThat(m.icon()).isEqualTo(TrayIcons.Kind.FAILED);
        assertThat(m.tooltip()).contains("server_failed");
        assertThat(m.canUnload()).isTrue();
    }

    @Test
    void iconsAreDrawnAtEverySizeWithDistinctPixelsPerState() {
        for (int size : new int[] {16, 22, 24, 32, 48, 64}) {
            var idle = TrayIcons.draw(TrayIcons.Kind.IDLE, size, 0);
            var running = TrayIcons.draw(TrayIcons.Kind.RUNNING, size, 0);
            assertThat(idle.getWidth()).isEqualTo(size);
            int c = size / 2;
            assertThat(idle.getRGB(c, c) >>> 24).as("idle is a hollow ring").isZero();
            assertThat(running.getRGB(c, c) >>> 24)
                    .as("running is a filled disc")
                    .isEqualTo(255);
        }
        var f0 = TrayIcons.draw(TrayIcons.Kind.LOADING, 32, 0);
        var f2 = TrayIcons.draw(TrayIcons.Kind.LOADING, 32, 2);
        boolean differs = false;
        for (int x = 0; x < 32 && !differs; x++) {
            for (int y = 0; y < 32; y++) {
                if (f0.getRGB(x, y) != f2.getRGB(x, y)) {
                    differs = true;
                    break;
                }
            }
        }
        assertThat(differs).as("the loading arc turns").isTrue();

        // at half a load the arc fills clockwise from the top: the right half amber, the left half still grey
        var half = TrayIcons.draw(TrayIcons.Kind.LOADING, 64, 5, 0.5);
        java.awt.Color right = new java.awt.Color(half.getRGB(57, 32), true);
        java.awt.Color left = new java.awt.Color(half.getRGB(6, 32), true);
        assertThat(right.getRed() - right.getBlue())
                .as("amber at 3 o'clock: " + right)
                .isGreaterThan(120);
        assertThat(Math.abs(left.getRed() - left.getBlue()))
                .as("grey at 9 o'clock: " + left)
                .isLessThan(20);
        assertThat(TrayIcons.draw(TrayIcons.Kind.LOADING, 64, 3, 0.5).getRGB(57, 32))
                .as("a known progress does not turn with the frames")
                .isEqualTo(half.getRGB(57, 32));
    }
}
