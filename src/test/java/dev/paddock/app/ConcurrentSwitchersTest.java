package dev.paddock.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.paddock.autostart.LinuxAutostart;
import dev.paddock.config.PaddockHome;
import dev.paddock.jmx.SupervisorMBean;
import dev.paddock.supervisor.Supervisor;
import dev.paddock.testing.LlamaServerBinary;
import dev.paddock.testing.PaddockCli;
import dev.paddock.testing.TestRig;
import dev.paddock.tray.Desktops;
import dev.paddock.tray.MenuModel;
import dev.paddock.tray.TrayController;
import dev.paddock.tray.TrayHost;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Eight switchers at once for 30 s against the real llama-server — the CLI, JMX, the tray, {@code /paddock/load},
 * gateway requests naming three presets (one with a ttl, so idle unloads join in) — while a sampler counts
 * llama-server processes every millisecond: never two servers, no request cut (nobody forces), and every answer
 * comes from the model its request named (each model's greedy answer is known beforehand).
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ConcurrentSwitchersTest {
    private static final List<String> PRESETS = List.of(
            "qwen2.5-coder-7b-instruct-q4_k_m",
            "Meta-Llama-3.1-8B-Instruct.Q4_K_M",
            "deepseek-r1-distill-qwen-14b_Q5_K_M");
    private static final Duration RUN =
            Duration.parse("PT" + System.getProperty("paddock.switchers.seconds", "30") + "S");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private String gateway;

    @Test
    void neverTwoServersNoRequestCutAndEveryAnswerFromTheModelItNamed() throws Exception {
        Path home = Files.createDirectories(dir.resolve("home/presets")).getParent();
        int port = TestRig.freePort();
        gateway = "http://127.0.0.1:" + port;
        Path binary = LlamaServerBinary.require();
        Files.writeString(
                home.resolve("config.yaml"),
                "llama-server: " + binary + "\nstop-timeout: 2s\njmx: {port: " + TestRig.freePort()
                        + "}\ngateway: {port: " + port + "}\n");
        for (int i = 0; i < PRESETS.size(); i++) {
            Path model = TestRig.tinyModel(dir, PRESETS.get(i).replace('.', '_'), 10 + i);
            Files.writeString(
                    home.resolve("presets/" + PRESETS.get(i) + ".yaml"),
                    "model: " + model + "\nport: auto\ncontext-size: 256\nthreads: 1\n" + (i == 2 ? "ttl: 1s\n" : ""));
        }
        Running running = new Daemon(new PaddockHome(home), new PrintStream(OutputStream.nullOutputStream()))
                .start(false)
                .orElseThrow();
        TrayController tray = new TrayController(
                running.switchboard(),
                new PaddockHome(home),
                () -> running.config().presetsDir(),
                new LinuxAutostart(dir.resolve("autostart")),
                new Desktops(),
                TrayController.Dialogs.NONE,
                () -> {},
                Clock.systemUTC());
        tray.attach(new QuietHost());
        PaddockCli cli = new PaddockCli(home, dir);
        Map<String, String> answers = new ConcurrentHashMap<>();
        for (String p : PRESETS) answers.put(p, answer(p));
        assertThat(answers.values()).as("the models answer differently").doesNotHaveDuplicates();

        // servers start from the supervisor's thread, or (exec'd in a spare shell) from the one that starts spares,
        // which exists once a first spare was asked for
        Path supervisorTask = task("paddock-supervisor").orElseThrow(() -> new AssertionError("no supervisor thread"));
        java.util.concurrent.atomic.AtomicReference<Path> spareTask =
                new java.util.concurrent.atomic.AtomicReference<>();
        java.util.function.Supplier<List<Path>> parents = () -> {
            if (spareTask.get() == null) task(Supervisor.SPARE_THREAD).ifPresent(spareTask::set);
            return spareTask.get() == null ? List.of(supervisorTask) : List.of(supervisorTask, spareTask.get());
        };
        Path realBinary = binary.toRealPath();
        List<String> violations = new CopyOnWriteArrayList<>();
        AtomicInteger most = new AtomicInteger();
        AtomicLong samples = new AtomicLong();
        AtomicInteger answered = new AtomicInteger();
        AtomicInteger switches = new AtomicInteger();
        long end = System.nanoTime() + RUN.toNanos();
        ExecutorService pool = Executors.newCachedThreadPool();
        List<Future<?>> work = new ArrayList<>();
        work.add(pool.submit(() -> {
            while (System.nanoTime() < end) {
                int n = serversNow(parents.get(), realBinary);
                most.accumulateAndGet(n, Math::max);
                samples.incrementAndGet();
                if (n > 1) violations.add("two llama-servers at once: " + n);
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
            }
        }));
        try (JMXConnector jmx = JMXConnectorFactory.connect(
                new JMXServiceURL(Files.readAllLines(home.resolve("jmx.url")).get(0)))) {
            work.add(pool.submit(() -> loop(end, 1, r -> {
                PaddockCli.Run run = cli.run("load", pick(r));
                if (run.exit() != 0 && !superseded(run.err())) violations.add("paddock load: " + run.err());
                switches.incrementAndGet();
            })));
            work.add(pool.submit(() -> loop(end, 2, r -> {
                try {
                    jmx.getMBeanServerConnection()
                            .invoke(SupervisorMBean.NAME, "load", new Object[] {pick(r)}, new String[] {
                                String.class.getName()
                            });
                } catch (javax.management.JMException | javax.management.JMRuntimeException e) {
                    if (!superseded(String.valueOf(e))) violations.add("JMX load: " + e);
                }
                switches.incrementAndGet();
            })));
            work.add(pool.submit(() -> loop(end, 3, r -> {
                tray.load(pick(r));
                switches.incrementAndGet();
                Thread.sleep(200 + r.nextInt(400)); // a person's clicks, not a script's
            })));
            work.add(pool.submit(() -> loop(end, 4, r -> {
                HttpResponse<String> c = post("/paddock/load", "{\"model\": \"" + pick(r) + "\"}");
                if (c.statusCode() != 200 && !superseded(c.body())) violations.add("/paddock/load: " + c.body());
                switches.incrementAndGet();
            })));
            for (int g = 0; g < 3; g++) {
                int seed = 5 + g;
                work.add(pool.submit(() -> loop(end, seed, r -> {
                    String preset = seed == 7 ? PRESETS.get(2) : pick(r); // one keeps naming the ttl preset
                    HttpResponse<String> c = post("/v1/chat/completions", chat(preset));
                    if (c.statusCode() != 200) {
                        violations.add("a request for " + preset + ": " + c.statusCode() + " " + c.body());
                        return;
                    }
                    String got = content(c.body());
                    if (!got.equals(answers.get(preset)))
                        violations.add("a request for " + preset + " was answered '" + got + "', not '"
                                + answers.get(preset) + "'");
                    answered.incrementAndGet();
                    if (seed == 7) Thread.sleep(1200); // long enough for its ttl to unload it now and then
                })));
            }
            for (Future<?> f : work) f.get(RUN.toSeconds() + 120, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
            tray.close();
            running.stop();
        }
        System.out.printf(
                "%d samples of the llama-servers running (one every ~%d µs), at most %d at once; %d answers; %d switches asked%n",
                samples.get(),
                RUN.toNanos() / 1000 / Math.max(1, samples.get()),
                most.get(),
                answered.get(),
                switches.get());
        assertThat(violations).isEmpty();
        assertThat(most.get()).isEqualTo(1);
        assertThat(answered.get()).as("requests got through").isGreaterThan(10);
    }

    /**
     * The llama-servers among this JVM's children (Paddock runs in it): they are children of the threads that start
     * them, so one read of each one's {@code /proc/self/task/TID/children} — well under a millisecond, where a scan of
     * the whole process table takes several. The threads are read one after the other, so a server seen in the first
     * may have exited before the second is read: each one counted is looked at again after all are read, and counts
     * only if it is still a server then (an exited one is a zombie or gone, whose {@code exe} cannot be read).
     */
    private static int serversNow(List<Path> parentTasks, Path binary) {
        List<String> seen = new ArrayList<>();
        for (Path task : parentTasks) {
            String kids;
            try {
                kids = Files.readString(task.resolve("children")).trim();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            for (String pid : kids.isEmpty() ? new String[0] : kids.split(" ")) {
                if (isServer(pid, binary)) seen.add(pid);
            }
        }
        if (seen.size() < 2) return seen.size();
        return (int) seen.stream().filter(pid -> isServer(pid, binary)).count();
    }

    private static boolean isServer(String pid, Path binary) {
        try {
            return Files.readSymbolicLink(Path.of("/proc", pid, "exe")).equals(binary);
        } catch (java.io.IOException gone) {
            return false; // it exited meanwhile
        }
    }

    /** A thread of this JVM in {@code /proc/self/task} by name (cut to 15 characters there), if it exists. */
    private static java.util.Optional<Path> task(String threadName) {
        String comm = threadName.length() > 15 ? threadName.substring(0, 15) : threadName;
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    if (Files.readString(task.resolve("comm")).trim().equals(comm)) return java.util.Optional.of(task);
                } catch (java.io.IOException ended) {
                    // that thread ended meanwhile
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return java.util.Optional.empty();
    }

    /** A load another switch superseded before it finished: the switchboard's rule, not a fault. */
    private static boolean superseded(String error) {
        return error.contains("was cancelled: superseded");
    }

    private interface Step {
        void run(Random r) throws Exception;
    }

    private static void loop(long end, long seed, Step step) {
        Random r = new Random(seed);
        try {
            while (System.nanoTime() < end) step.run(r);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static String pick(Random r) {
        return PRESETS.get(r.nextInt(PRESETS.size()));
    }

    private String answer(String preset) throws Exception {
        HttpResponse<String> r = post("/v1/chat/completions", chat(preset));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return content(r.body());
    }

    private static String chat(String preset) {
        return "{\"model\": \"" + preset + "\", \"max_tokens\": 8, \"temperature\": 0, \"seed\": 1,"
                + " \"messages\": [{\"role\": \"user\", \"content\": \"Which model are you?\"}]}";
    }

    private static String content(String body) throws Exception {
        JsonNode n = JSON.readTree(body);
        return n.path("choices").path(0).path("message").path("content").asText();
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(gateway + path))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A tray host that draws nothing. */
    private static final class QuietHost implements TrayHost {
        @Override
        public void show(MenuModel model, int frame) {}

        @Override
        public boolean notify(String title, String body, boolean error) {
            return true;
        }

        @Override
        public String kind() {
            return "quiet";
        }

        @Override
        public void close() {}
    }
}
