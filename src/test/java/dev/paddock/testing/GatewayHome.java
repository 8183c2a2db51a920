package dev.paddock.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A Paddock home for tests that talk to the gateway: {@code config.yaml} naming the llama-server, a free JMX port
 * and a free gateway port (with any more gateway settings), and the presets a test writes. One place, instead of
 * every gateway test writing its own.
 */
public final class GatewayHome {
    public final Path home;
    public final int port;
    /** {@code http://127.0.0.1:PORT}. */
    public final String url;

    private GatewayHome(Path home, int port) {
        this.home = home;
        this.port = port;
        this.url = "http://127.0.0.1:" + port;
    }

    /**
     * @param gatewaySettings more of the {@code gateway:} mapping, e.g. {@code ", api-keys: [K]"} (empty for none)
     * @param moreConfig further top-level lines of config.yaml (empty for none)
     */
    public static GatewayHome in(Path dir, Path llamaServer, String gatewaySettings, String moreConfig) {
        try {
            Path home = Files.createDirectories(dir.resolve("home/presets")).getParent();
            int port = TestRig.freePort();
            Files.writeString(
                    home.resolve("config.yaml"),
                    "llama-server: " + llamaServer + "\nstop-timeout: 2s\njmx: {port: " + TestRig.freePort()
                            + "}\ngateway: {port: " + port + gatewaySettings + "}\n" + moreConfig);
            return new GatewayHome(home, port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** With the real llama-server and no further settings. */
    public static GatewayHome in(Path dir) {
        return in(dir, LlamaServerBinary.require(), "", "");
    }

    /** Writes {@code presets/NAME.yaml}. */
    public GatewayHome preset(String name, String yaml) {
        try {
            Files.writeString(home.resolve("presets/" + name + ".yaml"), yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** A preset of a tiny real model written beside the home: {@code port: auto}, 256 tokens of context. */
    public GatewayHome tinyPreset(String name, long seed, String more) {
        Path model = TestRig.tinyModel(home.getParent(), name.replace('.', '_') + "-model", seed);
        return preset(name, "model: " + model + "\nport: auto\ncontext-size: 256\nthreads: 1\n" + more);
    }

    /** The CLI against this home, its output files in {@code scratch}. */
    public PaddockCli cli(Path scratch) {
        return new PaddockCli(home, scratch);
    }
}
