package dev.paddock.testing;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.locks.LockSupport;

/**
 * Serves bytes as a storage server does: {@code Range: bytes=N-} (honouring {@code If-Range} when there is an ETag)
 * answers 206 with {@code Content-Range}; it can close the connection after some bytes, as a dropped download does,
 * and send at a set rate.
 */
final class RangeBody {
    private RangeBody() {}

    /**
     * @param etag null for none
     * @param dropAfter close after this many bytes of body; -1 for never
     * @param bytesPerSecond -1 for as fast as it can
     */
    static void serve(HttpExchange ex, byte[] content, String etag, long dropAfter, long bytesPerSecond)
            throws IOException {
        serve(ex, content, etag, dropAfter, -1, bytesPerSecond);
    }

    /**
     * @param stallAfter after this many bytes of body send nothing more for 30 s, the connection left open, as a
     *     storage server that hangs does; -1 for never
     */
    static void serve(
            HttpExchange ex, byte[] content, String etag, long dropAfter, long stallAfter, long bytesPerSecond)
            throws IOException {
        serve(ex, content, etag, dropAfter, stallAfter, bytesPerSecond, 16 * 1024);
    }

    /** @param piece the bytes of each write (a storage server's TLS records and TCP segments vary in size) */
    static void serve(
            HttpExchange ex,
            byte[] content,
            String etag,
            long dropAfter,
            long stallAfter,
            long bytesPerSecond,
            int piece)
            throws IOException {
        String range = ex.getRequestHeaders().getFirst("Range");
        String ifRange = ex.getRequestHeaders().getFirst("If-Range");
        if (etag != null) ex.getResponseHeaders().add("ETag", etag);
        ex.getResponseHeaders().add("Accept-Ranges", "bytes");
        long from = 0;
        boolean partial = false;
        if (range != null && range.startsWith("bytes=") && (ifRange == null || ifRange.equals(etag))) {
            from = Long.parseLong(range.substring(6, range.indexOf('-')));
            if (from >= content.length) {
                ex.sendResponseHeaders(416, -1);
                return;
            }
            partial = true;
            ex.getResponseHeaders()
                    .add("Content-Range", "bytes " + from + "-" + (content.length - 1) + "/" + content.length);
        }
        long length = content.length - from;
        ex.sendResponseHeaders(partial ? 206 : 200, length);
        OutputStream out = ex.getResponseBody();
        long sent = 0;
        int chunk = piece;
        long started = System.nanoTime();
        while (sent < length) {
            if (dropAfter >= 0 && sent >= dropAfter) {
                out.flush();
                return; // the caller closes the exchange: a short body, as a dropped connection gives
            }
            if (stallAfter >= 0 && sent >= stallAfter) {
                out.flush();
                LockSupport.parkNanos(30_000_000_000L); // silent, the connection open
                return;
            }
            int n = (int) Math.min(chunk, length - sent);
            if (dropAfter >= 0) n = (int) Math.min(n, dropAfter - sent);
            if (stallAfter >= 0) n = (int) Math.min(n, stallAfter - sent);
            out.write(content, (int) (from + sent), n);
            sent += n;
            if (bytesPerSecond > 0) {
                long due = started + sent * 1_000_000_000L / bytesPerSecond;
                long wait = due - System.nanoTime();
                if (wait > 0) LockSupport.parkNanos(wait);
            }
        }
    }
}
