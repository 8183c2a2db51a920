package dev.paddock.autostart;

import java.nio.file.Path;

/** {@code ~/Library/LaunchAgents/dev.paddock.plist} with {@code RunAtLoad}: launchd runs it at login. */
public final class MacAutostart extends FileAutostart {
    static final String LABEL = "dev.paddock";

    public MacAutostart(Path launchAgentsDir) {
        super(launchAgentsDir);
    }

    /** The plist for {@code launcher}. */
    public static String plist(Path launcher) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" "
                + "\"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n"
                + "<plist version=\"1.0\">\n"
                + "<dict>\n"
                + "  <key>Label</key>\n"
                + "  <string>" + LABEL + "</string>\n"
                + "  <key>ProgramArguments</key>\n"
                + "  <array>\n"
                + "    <string>" + xml(launcher.toString()) + "</string>\n"
                + "    <string>start</string>\n"
                + "  </array>\n"
                + "  <key>RunAtLoad</key>\n"
                + "  <true/>\n"
                + "  <key>ProcessType</key>\n"
                + "  <string>Interactive</string>\n"
                + "</dict>\n"
                + "</plist>\n";
    }

    private static String xml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    @Override
    String fileName() {
        return LABEL + ".plist";
    }

    @Override
    String text(Path launcher) {
        return plist(launcher);
    }
}
