package dev.paddock.autostart;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AutostartTest {
    @TempDir
    Path dir;

    @Test
    void linuxWritesAnXdgAutostartEntryThatRunsTheLauncherAndRemovesIt() throws Exception {
        Path launcher = Path.of("/opt/my apps/paddock/launchers/paddock");
        LinuxAutostart a = new LinuxAutostart(dir.resolve("xdg/autostart"));
        assertThat(a.isEnabled()).isFalse();
        a.enable(launcher);
        assertThat(a.isEnabled()).isTrue();
        assertThat(Files.readString(dir.resolve("xdg/autostart/dev.paddock.desktop")))
                .isEqualTo("[Desktop Entry]\n"
                        + "Type=Application\n"
                        + "Name=Paddock\n"
                        + "Comment=Keeps llama-server running and switches models from the tray\n"
                        + "Exec=\"/opt/my apps/paddock/launchers/paddock\" start\n"
                        + "Icon=dev.paddock\n"
                        + "Terminal=false\n"
                        + "Categories=Utility;Development;\n"
                        + "X-GNOME-Autostart-enabled=true\n");
        a.disable();
        assertThat(a.isEnabled()).isFalse();
        a.disable(); // nothing there: no error
    }

    @Test
    void forThisPlatformOnLinuxHonoursXdgConfigHome() {
        Autostart a = Autostart.forThisPlatform(java.util.Map.of("XDG_CONFIG_HOME", dir.toString()));
        assertThat(a.location())
                .isEqualTo(dir.resolve("autostart/dev.paddock.desktop").toString());
    }

    @Test
    void macWritesALaunchAgentThatRunsAtLoad() throws Exception {
        MacAutostart a = new MacAutostart(dir.resolve("Library/LaunchAgents"));
        a.enable(Path.of("/Applications/Paddock.app/Contents/MacOS/Paddock"));
        String plist = Files.readString(dir.resolve("Library/LaunchAgents/dev.paddock.plist"));
        assertThat(plist)
                .contains("<key>Label</key>\n  <string>dev.paddock</string>")
                .contains(
                        "<string>/Applications/Paddock.app/Contents/MacOS/Paddock</string>\n    <string>start</string>")
                .contains("<key>RunAtLoad</key>\n  <true/>");
        assertThat(a.isEnabled()).isTrue();
        a.disable();
        assertThat(a.isEnabled()).isFalse();
    }

    @Test
    void windowsWritesTheRunValueAsOneStringSoAPathWithSpacesStaysWhole() throws Exception {
        java.util.Map<String, String> registry = new java.util.HashMap<>();
        WindowsAutostart a = new WindowsAutostart(new WindowsAutostart.Registry() {
            @Override
            public java.util.Optional<String> get(String key, String name) {
                return java.util.Optional.ofNullable(registry.get(key + "\\" + name));
            }

            @Override
            public void set(String key, String name, String data) {
                registry.put(key + "\\" + name, data);
            }

            @Override
            public void delete(String key, String name) {
                registry.remove(key + "\\" + name);
            }
        });
        a.enable(Path.of("C:\\Program Files\\Paddock\\paddock.cmd"));
        assertThat(registry)
                .containsExactly(java.util.Map.entry(
                        "Software\\Microsoft\\Windows\\CurrentVersion\\Run\\Paddock",
                        "\"C:\\Program Files\\Paddock\\paddock.cmd\" start"));
        assertThat(a.isEnabled()).isTrue();
        assertThat(a.location()).isEqualTo("HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run\\Paddock");
        a.disable();
        assertThat(registry).isEmpty();
        assertThat(a.isEnabled()).isFalse();
        // the real registry's API is there for Windows to link against (not initialised here: it loads Advapi32)
        assertThat(Class.forName(
                        "com.sun.jna.platform.win32.Advapi32Util",
                        false,
                        getClass().getClassLoader()))
                .isNotNull();
    }
}
