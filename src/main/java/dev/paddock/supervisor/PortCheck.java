package dev.paddock.supervisor;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Whether a server could bind a port now. */
public final class PortCheck {
    private PortCheck() {}

    /**
     * Binds and releases the port the way a server does (SO_REUSEADDR, so the old server's TIME_WAIT sockets after
     * a switch do not count; a live listener does).
     */
    public static boolean isFree(String host, int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(host, port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Below every OS's range for outgoing connections (Linux 32768+, macOS and Windows 49152+). */
    private static final int AUTO_FROM = 20_000, AUTO_TO = 32_000;

    /**
     * A port free on {@code host} now, for {@code port: auto} (chosen at spawn). Not one the OS would pick for
     * {@code bind(0)}: those come from the range it also gives outgoing connections, and a busy machine (a gateway
     * with many clients) can take it for one of them between this choice and llama-server's bind.
     */
    public static int freePort(String host) throws IOException {
        java.util.concurrent.ThreadLocalRandom r = java.util.concurrent.ThreadLocalRandom.current();
        for (int i = 0; i < 64; i++) {
            int port = r.nextInt(AUTO_FROM, AUTO_TO);
            if (isFree(host, port)) return port;
        }
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(host, 0));
            return s.getLocalPort();
        }
    }
}
