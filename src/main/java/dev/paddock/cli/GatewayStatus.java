package dev.paddock.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.paddock.config.PaddockHome;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The status snapshot as the gateway serves it ({@code GET /paddock/status}), read over one loopback socket with the
 * address and key the running Paddock wrote to {@code PADDOCK_HOME/gateway.url}: a fraction of a JMX client's
 * start-up, for a command that status bars call in loops. Empty when there is no gateway to ask (the caller then
 * asks over JMX, which holds the same snapshot).
 */
final class GatewayStatus {
    private static final int TIMEOUT_MS = 2000;

    private GatewayStatus() {}

    static Optional<Map<String, Object>> read(PaddockHome home) {
        List<String> lines;
        try {
            lines = Files.readAllLines(home.gatewayUrlFile(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            return Optional.empty();
        }
        if (lines.size() < 2) return Optional.empty();
        try {
            URI base = URI.create(lines.get(0).trim());
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(base.getHost(), base.getPort()), TIMEOUT_MS);
                s.setSoTimeout(TIMEOUT_MS);
                OutputStream out = s.getOutputStream();
                out.write(("GET /paddock/status HTTP/1.1\r\nHost: " + base.getHost() + "\r\nAuthorization: Bearer "
                                + lines.get(1).trim() + "\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                return body(s.getInputStream()).map(GatewayStatus::fields);
            }
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // a Paddock gone since it wrote the file, or a gateway that refuses: ask JMX
        }
    }

    /** The body of a 200 answer (the gateway sends it sized and closes). */
    private static Optional<byte[]> body(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream(1024);
        in.transferTo(all);
        byte[] b = all.toByteArray();
        String head = new String(b, 0, Math.min(b.length, 16), StandardCharsets.US_ASCII);
        if (!head.startsWith("HTTP/1.1 200")) return Optional.empty();
        for (int i = 0; i + 3 < b.length; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n' && b[i + 2] == '\r' && b[i + 3] == '\n')
                return Optional.of(java.util.Arrays.copyOfRange(b, i + 4, b.length));
        }
        return Optional.empty();
    }

    /** One flat JSON object, in order: strings, numbers, booleans, nulls and arrays of strings. */
    private static Map<String, Object> fields(byte[] json) {
        Map<String, Object> m = new LinkedHashMap<>();
        try (JsonParser p = new JsonFactory().createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) throw new IllegalStateException("not an object");
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                m.put(
                        name,
                        switch (t) {
                            case VALUE_NULL -> null;
                            case VALUE_NUMBER_INT -> p.getLongValue();
                            case VALUE_NUMBER_FLOAT -> p.getDoubleValue();
                            case VALUE_TRUE, VALUE_FALSE -> p.getBooleanValue();
                            case START_ARRAY -> {
                                List<String> items = new ArrayList<>();
                                while (p.nextToken() != JsonToken.END_ARRAY) items.add(p.getValueAsString());
                                yield items;
                            }
                            default -> p.getValueAsString();
                        });
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return m;
    }
}
