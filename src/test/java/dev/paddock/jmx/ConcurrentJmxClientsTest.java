package dev.paddock.jmx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.paddock.core.ErrorCode;
import dev.paddock.testing.LlamaServerBinary;
import dev.paddock.testing.PaddockCli;
import dev.paddock.testing.TestRig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import javax.management.JMX;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * 50 JMX clients, each on its own connection, calling load/unload/status on a real Paddock (real llama-server) for
 * a minute: only documented errors, exactly one llama-server at the end, in the state the last completed call
 * asked for.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ConcurrentJmxClientsTest {
    private static final int CLIENTS = 50;
    private static final Duration RUN = Duration.ofSeconds(60);

    /** Presets named as people name them (A loaded by its bare name, B as p:B), on a model named as the hub does. */
    private static final String A = "qwen2.5-coder-7b-instruct-q4_k_m", B = "gemma-3-27b-it-qat-q4_0-long-context-32k";

    @TempDir
    Path dir;

    private static final Queue<String> SAMPLES = new ConcurrentLinkedQueue<>();

    private Process daemon;

    /** A call that returned normally, in the order calls returned. */
    record Done(long seq, String asked) {}

    @AfterEach
    void tearDown() throws Exception {
        if (daemon != null && daemon.isAlive()) {
            daemon.destroy();
            daemon.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void fiftyClientsForAMinuteLeaveOneServerInTheLastAskedState() throws Exception {
        Path home = Files.createDirectories(dir.resolve("home/presets")).getParent();
        Path model = TestRig.tinyModel(dir, "Llama-3.2-3B-Instruct-IQ4_XS", 1);
        Files.writeString(
                home.resolve("config.yaml"),
                "llama-server: " + LlamaServerBinary.require() + "\nstop-timeout: 2s\njmx: {port: " + TestRig.freePort()
                        + "}\n");
        for (String name : List.of(A, B)) {
            Files.writeString(
                    home.resolve("presets/" + name + ".yaml"),
                    "model: " + model + "\nport: auto\ncontext-size: 256\nthreads: 1\n");
        }
        PaddockCli cli = new PaddockCli(home, dir);
        daemon = cli.startDaemon();
        JMXServiceURL url = new JMXServiceURL(
                Files.readString(home.resolve("jmx.url")).lines().findFirst().orElseThrow());

        AtomicLong seq = new AtomicLong();
        Queue<Done> done = new ConcurrentLinkedQueue<>();
        Queue<Throwable> undocumented = new ConcurrentLinkedQueue<>();
        Map<String, AtomicLong> documented = new ConcurrentHashMap<>();
        AtomicLong calls = new AtomicLong();
        long end = System.nanoTime() + RUN.toNanos();
        List<Thread> clients = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            Thread t = new Thread(
                    () -> {
                        try (JMXConnector c = JMXConnectorFactory.connect(url)) {
                            SupervisorMXBean s = JMX.newMXBeanProxy(
                                    c.getMBeanServerConnection(), SupervisorMBean.NAME, SupervisorMXBean.class);
                            while (System.nanoTime() < end) {
                                int roll = ThreadLocalRandom.current().nextInt(100);
                                calls.incrementAndGet();
                                try {
                                    if (roll < 30) {
                                        s.load(A);
                                        done.add(new Done(seq.incrementAndGet(), A));
                                    } else if (roll < 60) {
                                        s.load("p:" + B);
                                        done.add(new Done(seq.incrementAndGet(), B));
                                    } else if (roll < 70) {
                                        s.unload();
                                        done.add(new Done(seq.incrementAndGet(), "idle"));
                                    } else {
                                        s.getState();
                                        s.getPreset();
                                        s.getServerPid();
                                        s.getEndpoint();
                                    }
                                } catch (RuntimeException e) {
                                    String code = codeOf(e);
                                    if (code == null) undocumented.add(e);
                                    else
                                        documented
                                                .computeIfAbsent(kind(code, e), k -> new AtomicLong())
                                                .incrementAndGet();
                                }
                            }
                        } catch (Exception e) {
                            undocumented.add(e);
                        }
                    },
                    "jmx-client-" + i);
            clients.add(t);
            t.start();
        }
        for (Thread t : clients) t.join(RUN.toMillis() + 120_000);

        assertThat(undocumented)
                .as("exceptions other than the documented coded ones")
                .isEmpty();
        Done last = done.stream().max((x, y) -> Long.compare(x.seq(), y.seq())).orElseThrow();
        System.out.printf(
                "%d calls, %d completed loads/unloads, documented errors %s, last completed: %s%n",
                calls.get(), done.size(), summary(documented), last.asked());
        SAMPLES.stream().limit(5).forEach(m -> System.out.println("server_failed: " + m));
        assertThat(done.size()).as("the clients got work done, not only errors").isGreaterThan(100);

        SupervisorMXBean s;
        try (JMXConnector c = JMXConnectorFactory.connect(url)) {
            s = JMX.newMXBeanProxy(c.getMBeanServerConnection(), SupervisorMBean.NAME, SupervisorMXBean.class);
            AtomicReference<String> state = new AtomicReference<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                state.set(s.getState());
                return state.get().equals("running") || state.get().equals("idle");
            });
            if (last.asked().equals("idle")) {
                assertThat(state.get()).isEqualTo("idle");
            } else {
                assertThat(state.get()).isEqualTo("running");
                assertThat(s.getPreset()).isEqualTo(last.asked());
            }
            List<ProcessHandle> servers = daemon.toHandle()
                    .descendants()
                    .filter(TestRig::isRunning)
                    .filter(p -> p.info().command().orElse("").endsWith("llama-server"))
                    .toList();
            assertThat(servers).as("llama-servers left").hasSize(last.asked().equals("idle") ? 0 : 1);
            if (!servers.isEmpty()) assertThat(servers.get(0).pid()).isEqualTo(s.getServerPid());
        }
    }

    /** The error code a documented failure starts its message with, or null. */
    private static String codeOf(Throwable e) {
        List<String> codes =
                Arrays.stream(ErrorCode.values()).map(ErrorCode::wireName).toList();
        for (Throwable c = e; c != null; c = c.getCause()) {
            String m = c.getMessage();
            if (m == null) continue;
            int colon = m.indexOf(':');
            if (colon > 0 && codes.contains(m.substring(0, colon))) return m.substring(0, colon);
        }
        return null;
    }

    /** The code, and for server_failed whether the load was cancelled by a later call or failed on its own. */
    private static String kind(String code, Throwable e) {
        String all = String.valueOf(e.getMessage())
                + (e.getCause() == null ? "" : e.getCause().getMessage());
        return code.equals("server_failed") && all.contains("was cancelled") ? "cancelled" : code;
    }

    private static String summary(Map<String, AtomicLong> m) {
        return m.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
    }
}
