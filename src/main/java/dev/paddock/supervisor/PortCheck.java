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

    /** A port free on {@code host} now, as the OS picks one (for {@code port: auto}, chosen at spawn). */
    public static int freePort(String host) throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(host, 0));
            return s.getLocalPort();
        }
    }
}
