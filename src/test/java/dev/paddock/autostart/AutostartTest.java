package dev.paddock.autostart;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
    void windowsSetsTheRunValueThroughRegExe() throws Exception {
        List<List<String>> ran = new ArrayList<>();
        boolean[] present = {false};
        WindowsAutostart a = new WindowsAutostart(cmd -> {
            ran.add(cmd);
            if (cmd.get(1).equals("add")) present[0] = true;
            if (cmd.get(1).equals("delete")) present[0] = false;
            int exit = cmd.get(1).equals("query") && !present[0] ? 1 : 0;
            return new WindowsAutostart.Registry.Result(exit, "");
        });
        a.enable(Path.of("C:\\Program Files\\Paddock\\paddock.cmd"));
        assertThat(ran.get(0))
                .containsExactly(
                        "reg",
                        "add",
                        "HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run",
                        "/v",
                        "Paddock",
                        "/t",
                        "REG_SZ",
                        "/d",
                        "\"C:\\Program Files\\Paddock\\paddock.cmd\" start",
                        "/f");
        assertThat(a.isEnabled()).isTrue();
        a.disable();
        assertThat(ran.get(ran.size() - 1))
                .containsExactly(
                        "reg",
                        "delete",
                        "HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run",
                        "/v",
                        "Paddock",
                        "/f");
        assertThat(a.isEnabled()).isFalse();
    }
}
