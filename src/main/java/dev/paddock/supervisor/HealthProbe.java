package dev.paddock.supervisor;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Asks a llama-server for {@code GET /health} over a plain socket, repeated while a model loads (how often: the
 * supervisor's probe). llama-server binds its port before it loads, so: connection refused = not bound yet, 503 = still
 * loading, 200 = ready.
 */
public final class HealthProbe {
    /** Returned when nothing answered (refused, reset, timed out). */
    public static final int NO_ANSWER = -1;

    private final int connectTimeoutMs;
    private final int readTimeoutMs;

    public HealthProbe(int connectTimeoutMs, int readTimeoutMs) {
        this.connectTimeoutMs = connectTimeoutMs;
        this.readTimeoutMs = readTimeoutMs;
    }

    /** The HTTP status of {@code GET /health}, or {@link #NO_ANSWER}. */
    public int status(String host, int port) {
        try (Socket s = new Socket()) {
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress(host, port), connectTimeoutMs);
            s.setSoTimeout(readTimeoutMs);
            OutputStream out = s.getOutputStream();
            out.write(("GET /health HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return parseStatus(s.getInputStream());
        } catch (IOException | RuntimeException e) {
            return NO_ANSWER;
        }
    }

    /** Reads {@code HTTP/1.1 200 OK} and returns 200. */
    private static int parseStatus(InputStream in) throws IOException {
        byte[] buf = new byte[64];
        int n = 0;
        while (n < buf.length) {
            int r = in.read(buf, n, buf.length - n);
            if (r < 0) break;
            n += r;
            String head = new String(buf, 0, n, StandardCharsets.US_ASCII);
            int sp = head.indexOf(' ');
            if (sp > 0 && head.length() >= sp + 4) {
                try {
                    return Integer.parseInt(head.substring(sp + 1, sp + 4));
                } catch (NumberFormatException e) {
                    return NO_ANSWER;
                }
            }
        }
        return NO_ANSWER;
    }
}
