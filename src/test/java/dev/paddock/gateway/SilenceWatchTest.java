package dev.paddock.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The gateway's client to llama-server has no read timeout (see {@link SilenceWatch}): these check that a server
 * gone silent is still given up on, and that a slow one is not. The client is built as the gateway builds it.
 */
class SilenceWatchTest {
    private final SilenceWatch watch = new SilenceWatch(Duration.ofMillis(400));
    private final OkHttpClient client = new OkHttpClient.Builder()
            .readTimeout(Duration.ZERO)
            .socketFactory(new ChannelSocketFactory())
            .build();
    private final CountDownLatch release = new CountDownLatch(1);
    private ServerSocket server;

    @AfterEach
    void close() throws IOException {
        release.countDown();
        watch.close();
        if (server != null) server.close();
        client.dispatcher().executorService().shutdownNow();
        client.connectionPool().evictAll();
    }

    @Test
    void aStreamThatGoesSilentIsCancelled() {
        int port = serve(out -> {
            out.write(head());
            out.write(chunk("data: first\n\n"));
            out.flush();
            release.await(); // then nothing, for as long as the test runs
        });
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            okhttp3.Call call =
                    client.newCall(new Request.Builder().url(url(port)).build());
            try (SilenceWatch.Watched heard = watch.watch(call);
                    Response r = call.execute()) {
                InputStream in = r.body().byteStream();
                byte[] buf = new byte[256];
                assertThat(in.read(buf)).isPositive();
                heard.heard();
                assertThatThrownBy(() -> in.read(buf)).isInstanceOf(IOException.class);
                assertThat(heard.silenced()).isTrue();
            }
        });
    }

    @Test
    void aServerThatNeverAnswersIsCancelled() {
        int port = serve(out -> release.await());
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            okhttp3.Call call =
                    client.newCall(new Request.Builder().url(url(port)).build());
            try (SilenceWatch.Watched heard = watch.watch(call)) {
                assertThatThrownBy(call::execute).isInstanceOf(IOException.class);
                assertThat(heard.silenced()).isTrue();
            }
        });
    }

    @Test
    void aSlowStreamThatKeepsSendingRunsToItsEnd() {
        int events = 24;
        int port = serve(out -> {
            out.write(head());
            out.flush();
            for (int i = 0; i < events; i++) {
                // each gap a quarter of the limit: 2.4 s in all, six times the limit
                release.await(100, TimeUnit.MILLISECONDS);
                out.write(chunk("data: " + i + "\n\n"));
                out.flush();
            }
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        });
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            okhttp3.Call call =
                    client.newCall(new Request.Builder().url(url(port)).build());
            try (SilenceWatch.Watched heard = watch.watch(call);
                    Response r = call.execute()) {
                InputStream in = r.body().byteStream();
                StringBuilder got = new StringBuilder();
                byte[] buf = new byte[256];
                int n;
                while ((n = in.read(buf)) > 0) {
                    heard.heard();
                    got.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                }
                assertThat(got.toString()).contains("data: 0\n\n").contains("data: " + (events - 1) + "\n\n");
                assertThat(heard.silenced()).isFalse();
            }
        });
    }

    interface Script {
        void run(OutputStream out) throws Exception;
    }

    /** A one-connection HTTP server on loopback that reads the request head, then plays the script. */
    private int serve(Script script) {
        try {
            server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Thread t = new Thread(() -> {
            try (Socket s = server.accept()) {
                InputStream in = s.getInputStream();
                int last = 0, c;
                // up to the blank line that ends the request head
                while ((c = in.read()) >= 0) {
                    last = (last << 8 | c) & 0xFFFFFFFF;
                    if (last == 0x0D0A0D0A) break;
                }
                script.run(s.getOutputStream());
            } catch (Exception e) {
                // the test closed the server
            }
        });
        t.setDaemon(true);
        t.start();
        return server.getLocalPort();
    }

    private static String url(int port) {
        return "http://127.0.0.1:" + port + "/v1/chat/completions";
    }

    private static byte[] head() {
        return ("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] chunk(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return (Integer.toHexString(b.length) + "\r\n" + s + "\r\n").getBytes(StandardCharsets.UTF_8);
    }
}
