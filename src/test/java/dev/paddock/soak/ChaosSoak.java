package dev.paddock.soak;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.paddock.config.ConfigException;
import dev.paddock.config.ConfigLoader;
import dev.paddock.config.Durations;
import dev.paddock.config.PaddockHome;
import dev.paddock.jmx.SupervisorMBean;
import dev.paddock.preset.PresetLoader;
import dev.paddock.testing.LlamaServerBinary;
import dev.paddock.testing.PaddockCli;
import dev.paddock.testing.TestRig;
import java.io.IOException;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryUsage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import javax.management.JMX;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * The chaos soak: a real daemon driven from the CLI, JMX and the gateway at once while faults are injected —
 * llama-server and Paddock killed with SIGKILL, a server that ignores SIGTERM, one that crashes, one that floods its
 * log, a preset edited and deleted underneath — with the supervisor's promises checked after every fault and every
 * few seconds: at most one llama-server, {@code status} agreeing with the process table and with {@code /health},
 * no orphan after a restart, no half-written file, llama.log within its cap, threads, descriptors and heap flat.
 *
 * <p>Run by hand: {@code scripts/bench.sh soak [--duration 2h] [--seed N]}; CI runs five minutes
 * ({@code ChaosSoakTest}).
 */
public final class ChaosSoak {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long LOG_CAP = 256 * 1024;
    /** How long Paddock may take to see that the server it runs has died (four of its /proc looks, and some). */
    private static final Duration NOTICE = Duration.ofSeconds(1);

    /** The presets on the real llama-server, named as people name them, and their model files, as the hub does. */
    private static final String A = "Meta-Llama-3.1-8B-Instruct.Q4_K_M", B = "qwen2.5-coder-7b-instruct-q4_k_m";

    private static final String MODEL_A = "Meta-Llama-3.1-8B-Instruct-Q4_K_M",
            MODEL_B = "qwen2.5-coder-7b-instruct-q4_k_m";

    private static final List<String> PRESETS = List.of(A, B, "stubborn", "flood", "crashy", "edited");

    private final Duration duration;
    private final long seed;
    private final Random random;
    private final Path dir;
    private final Path home;
    private final PaddockCli cli;
    private final String gateway;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ReentrantReadWriteLock pause = new ReentrantReadWriteLock(true);
    private final Map<String, AtomicLong> ops = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> faults = new ConcurrentHashMap<>();
    private final AtomicLong checks = new AtomicLong();
    private final AtomicLong passed = new AtomicLong();
    private final List<String> violations = new CopyOnWriteArrayList<>();
    private final Deque<String> recent = new ArrayDeque<>();
    private final List<long[]> leakSamples =
            Collections.synchronizedList(new ArrayList<>()); // {lifetime, t, threads, fds, heap}
    private final long started = System.nanoTime();
    private volatile boolean over;
    private volatile Process daemon;
    private volatile int lifetime;
    private volatile long lifetimeStarted;
    private volatile JMXConnector jmx;

    /** What the soak found. */
    public record Report(
            Duration ran,
            long seed,
            Map<String, Long> operations,
            Map<String, Long> faults,
            long checks,
            long passed,
            List<String> violations,
            String leaks) {
        public long totalOperations() {
            return operations.values().stream().mapToLong(Long::longValue).sum();
        }

        public long totalFaults() {
            return faults.values().stream().mapToLong(Long::longValue).sum();
        }

        public String text() {
            StringBuilder b = new StringBuilder();
            b.append(String.format(
                    Locale.ROOT,
                    "chaos soak: %d s, seed %d (reproduce: scripts/bench.sh soak --duration %ds --seed %d)%n",
                    ran.toSeconds(),
                    seed,
                    ran.toSeconds(),
                    seed));
            b.append("operations: ")
                    .append(totalOperations())
                    .append(' ')
                    .append(operations)
                    .append('\n');
            b.append("faults injected: ")
                    .append(totalFaults())
                    .append(' ')
                    .append(faults)
                    .append('\n');
            b.append("invariant checks passed: ")
                    .append(passed)
                    .append(" of ")
                    .append(checks)
                    .append('\n');
            b.append(leaks).append('\n');
            b.append("violations: ").append(violations.size()).append('\n');
            violations.forEach(v -> b.append("  ").append(v).append('\n'));
            return b.toString();
        }
    }

    public ChaosSoak(Duration duration, long seed) throws IOException {
        this.duration = duration;
        this.seed = seed;
        this.random = new Random(seed);
        this.dir = Files.createTempDirectory("paddock-soak");
        this.home = Files.createDirectories(dir.resolve("home/presets")).getParent();
        int gw = TestRig.freePort();
        this.gateway = "http://127.0.0.1:" + gw;
        Path real = LlamaServerBinary.require();
        Path fake = TestRig.fakeServerScript(dir);
        Files.writeString(
                home.resolve("config.yaml"),
                "llama-server: " + real + "\nstop-timeout: 1s\nhealth-timeout: 30s\nlog-max-size: 256KB\n"
                        + "log-max-files: 3\njmx: {port: " + TestRig.freePort() + "}\ngateway: {port: " + gw + "}\n");
        Path a = TestRig.tinyModel(dir, MODEL_A, 1);
        Path b = TestRig.tinyModel(dir, MODEL_B, 2);
        String real256 = "\nport: auto\ncontext-size: 256\nthreads: 1\n";
        Files.writeString(home.resolve("presets/" + A + ".yaml"), "model: " + a + real256);
        Files.writeString(home.resolve("presets/" + B + ".yaml"), "model: " + b + real256);
        String fakeModel = Files.writeString(dir.resolve("mistral-7b-instruct-v0.2.Q4_K_M.gguf"), "x")
                .toString();
        String fakeHead = "model: " + fakeModel + "\nport: auto\nllama-server: " + fake + "\n";
        Files.writeString(
                home.resolve("presets/stubborn.yaml"),
                fakeHead + "args: [\"--fake-ignore-sigterm\", \"--fake-stream-delay-ms\", \"5\"]\n");
        Files.writeString(
                home.resolve("presets/flood.yaml"),
                fakeHead + "args: [\"--fake-flood-lines\", \"4000\", \"--fake-stream-delay-ms\", \"5\"]\n");
        Files.writeString(
                home.resolve("presets/crashy.yaml"),
                fakeHead + "args: [\"--fake-crash-after-ms\", \"1500\", \"--fake-stream-delay-ms\", \"5\"]\n");
        writeEdited(256);
        this.cli = new PaddockCli(home, dir);
    }

    public static void main(String[] args) throws Exception {
        Duration d = Duration.ofMinutes(5);
        long seed = System.nanoTime();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--duration")) d = Durations.parse(args[++i]);
            else if (args[i].equals("--seed")) seed = Long.parseLong(args[++i]);
        }
        Report r = new ChaosSoak(d, seed).run();
        System.out.print(r.text());
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target/soak-report.txt"), r.text());
        System.exit(r.violations().isEmpty() ? 0 : 1);
    }

    /** Runs the soak for its duration and reports. */
    public Report run() throws Exception {
        startDaemon();
        List<Thread> actors = List.of(
                actor("cli", this::cliOp),
                actor("jmx", this::jmxOp),
                actor("gateway", this::gatewayOp),
                actor("gateway-stream", this::gatewayOp),
                actor("servers", this::countServers));
        actors.forEach(Thread::start);
        long deadline = started + duration.toNanos();
        int daemonKills = 0;
        try {
            while (System.nanoTime() < deadline) {
                park(2000 + random.nextInt(2000));
                double at = (System.nanoTime() - started) / (double) duration.toNanos();
                // Paddock itself is killed at a quarter and at half time: the last stretch is one lifetime, for
                // the leak checks
                boolean killDaemon = daemonKills < 2 && at > (daemonKills + 1) * 0.25;
                int pick = killDaemon ? 5 : random.nextInt(5);
                pause.writeLock().lock();
                try {
                    switch (pick) {
                        case 0 -> killServer();
                        case 1 -> editPreset();
                        case 2 -> loadViaJmx("stubborn", "sigterm ignored");
                        case 3 -> loadViaJmx("crashy", "crash mid-run");
                        case 4 -> loadViaJmx("flood", "log flood");
                        default -> {
                            killDaemon();
                            daemonKills++;
                        }
                    }
                    check("after " + (pick == 5 ? "a Paddock kill" : "fault " + pick));
                } finally {
                    pause.writeLock().unlock();
                }
            }
        } finally {
            over = true;
            for (Thread t : actors) t.join(60_000);
        }
        pause.writeLock().lock();
        try {
            check("at the end");
            stopAndCheckNothingLeft();
        } finally {
            pause.writeLock().unlock();
        }
        return new Report(
                Duration.ofNanos(System.nanoTime() - started),
                seed,
                snapshot(ops),
                snapshot(faults),
                checks.get(),
                passed.get(),
                List.copyOf(violations),
                leaks());
    }

    // ---- actors ------------------------------------------------------------------------------------------------

    private interface Op {
        void run(Random r) throws Exception;
    }

    private Thread actor(String name, Op op) {
        Random r = new Random(seed ^ name.hashCode());
        Thread t = new Thread(
                () -> {
                    while (!over) {
                        pause.readLock().lock();
                        try {
                            op.run(r);
                        } catch (Exception e) {
                            count(ops, name + " error");
                            remember(name + ": " + e);
                        } finally {
                            pause.readLock().unlock();
                        }
                    }
                },
                "soak-" + name);
        t.setDaemon(true);
        return t;
    }

    private void cliOp(Random r) throws Exception {
        String preset = PRESETS.get(r.nextInt(PRESETS.size()));
        int pick = r.nextInt(4);
        PaddockCli.Run run = pick == 0
                ? cli.run("unload")
                : pick == 1 ? cli.run("status", "--json") : cli.run("load", preset, "--json");
        String what = pick == 0 ? "unload" : pick == 1 ? "status" : "load " + preset;
        remember("cli " + what + " -> " + run.exit());
        count(ops, "cli");
        if (run.exit() == 2)
            violation("`paddock " + what + "` was a usage error: " + run.err().strip());
        park(300 + r.nextInt(700));
    }

    private void jmxOp(Random r) throws Exception {
        MBeanServerConnection c;
        try {
            c = jmxConnection();
        } catch (IOException notUp) {
            park(200);
            return;
        }
        String preset = PRESETS.get(r.nextInt(PRESETS.size()));
        int pick = r.nextInt(4);
        try {
            if (pick == 0) c.invoke(SupervisorMBean.NAME, "unload", null, null);
            else if (pick == 1) c.getAttribute(SupervisorMBean.NAME, "State");
            else c.invoke(SupervisorMBean.NAME, "load", new Object[] {preset}, new String[] {String.class.getName()});
            remember("jmx " + (pick == 0 ? "unload" : pick == 1 ? "State" : "load " + preset) + " ok");
        } catch (javax.management.MBeanException | javax.management.RuntimeMBeanException e) {
            remember("jmx " + preset + " -> " + e.getCause()); // a failed load is an answer, not a fault
        } catch (IOException gone) {
            dropJmx();
        }
        count(ops, "jmx");
        park(100 + r.nextInt(400));
    }

    private void gatewayOp(Random r) throws Exception {
        String preset = PRESETS.get(r.nextInt(PRESETS.size()));
        boolean stream = Thread.currentThread().getName().endsWith("stream");
        String body = "{\"model\":\"" + preset + "\",\"stream\":" + stream
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":16}";
        try {
            HttpResponse<String> resp = http.send(
                    HttpRequest.newBuilder(URI.create(gateway + "/v1/chat/completions"))
                            .timeout(Duration.ofSeconds(60))
                            .POST(HttpRequest.BodyPublishers.ofString(body))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            remember("gateway " + preset + (stream ? " stream" : "") + " -> " + resp.statusCode());
            if (resp.statusCode() == 500 && resp.body().contains("gateway error")) {
                violation("the gateway failed inside: " + resp.body());
            }
        } catch (IOException refusedOrCut) {
            remember("gateway " + preset + " -> " + refusedOrCut); // Paddock restarting, or a server killed mid-stream
        }
        count(ops, stream ? "gateway streams" : "gateway requests");
        park(50 + r.nextInt(300));
    }

    /** The count of llama-servers, sampled all along: never more than one. */
    private void countServers(Random r) {
        List<ProcessHandle> s = servers();
        if (s.size() > 1)
            violation("two llama-servers at once: "
                    + s.stream().map(p -> p.pid() + " " + commandOf(p)).toList());
        park(25);
    }

    // ---- faults ------------------------------------------------------------------------------------------------

    private void killServer() {
        List<ProcessHandle> s = servers();
        if (s.isEmpty()) {
            loadViaJmx(A, null);
            s = servers();
        }
        s.forEach(ProcessHandle::destroyForcibly);
        count(faults, "llama-server SIGKILL");
        remember("fault: SIGKILL llama-server "
                + s.stream().map(ProcessHandle::pid).toList());
    }

    private void killDaemon() throws Exception {
        Process d = daemon;
        d.destroyForcibly();
        d.waitFor(30, TimeUnit.SECONDS);
        dropJmx();
        count(faults, "Paddock SIGKILL + restart");
        remember("fault: SIGKILL Paddock " + d.pid());
        startDaemon(); // it must adopt or end the server it left behind
    }

    private void editPreset() throws IOException {
        Path file = home.resolve("presets/edited.yaml");
        if (Files.exists(file) && random.nextBoolean()) {
            Files.delete(file);
            count(faults, "preset deleted");
            remember("fault: deleted edited.yaml");
        } else {
            writeEdited(random.nextBoolean() ? 256 : 512);
            count(faults, "preset edited");
            remember("fault: rewrote edited.yaml");
        }
    }

    private void writeEdited(int context) throws IOException {
        Path tmp = home.resolve("presets/.edited.tmp");
        Files.writeString(
                tmp,
                "model: " + dir.resolve(MODEL_A + ".gguf") + "\nport: auto\ncontext-size: " + context
                        + "\nthreads: 1\n");
        Files.move(tmp, home.resolve("presets/edited.yaml"), StandardCopyOption.ATOMIC_MOVE);
    }

    private void loadViaJmx(String preset, String fault) {
        try {
            jmxConnection()
                    .invoke(SupervisorMBean.NAME, "load", new Object[] {preset}, new String[] {String.class.getName()});
        } catch (Exception e) {
            remember("fault load " + preset + " -> " + e);
        }
        if (fault != null) {
            count(faults, fault);
            remember("fault: " + fault + " (" + preset + ")");
        }
    }

    // ---- checks ------------------------------------------------------------------------------------------------

    /** Every invariant, with the actors paused; each broken one is a violation that names when and what. */
    private void check(String when) {
        checks.incrementAndGet();
        int before = violations.size();
        try {
            MBeanServerConnection c = jmxConnection();
            Object[] snap = stableState(c);
            if (snap == null) {
                violation(when + ": the state did not settle within 30 s");
            } else {
                String state = (String) snap[0];
                long pid = (Long) snap[1];
                String endpoint = (String) snap[2];
                List<ProcessHandle> s = servers();
                boolean live = state.equals("running") || state.equals("loading");
                if (live && (s.size() != 1 || s.get(0).pid() != pid)) {
                    violation(when + ": status says " + state + " pid " + pid + ", the process table has "
                            + s.stream().map(ProcessHandle::pid).toList());
                } else if (!live && !s.isEmpty()) {
                    violation(when + ": status says " + state + ", yet llama-server runs: "
                            + s.stream().map(p -> p.pid() + " " + commandOf(p)).toList());
                }
                if (state.equals("running") && endpoint != null) {
                    int health = health(endpoint);
                    if (health != 200 && !noticed(c, pid, endpoint)) {
                        violation(when + ": status says running at " + endpoint + ", /health answers " + health
                                + ", and so for " + NOTICE.toMillis() + " ms");
                    }
                }
            }
            sampleLeaks(c);
        } catch (Exception e) {
            violation(when + ": cannot read Paddock's state: " + e);
        }
        checkFiles(when);
        if (violations.size() == before) {
            passed.incrementAndGet();
            remember("check passed: " + when);
        }
    }

    /** {state, pid, endpoint} once no load or stop is under way (and the same twice in a row); null if never. */
    private Object[] stableState(MBeanServerConnection c) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        Object[] last = null;
        while (System.nanoTime() < until) {
            var attrs = c.getAttributes(SupervisorMBean.NAME, new String[] {"State", "ServerPid", "Endpoint"});
            Object[] now = attrs.asList().stream()
                    .map(javax.management.Attribute::getValue)
                    .toArray();
            String state = (String) now[0];
            boolean settled = !state.equals("loading") && !state.equals("stopping");
            if (settled && last != null && java.util.Arrays.equals(now, last)) return now;
            last = settled ? now : null;
            park(50);
        }
        return null;
    }

    /**
     * Whether Paddock sees, within {@link #NOTICE}, that the server it says runs no longer answers: its state moves
     * on, or the server answers after all. A server Paddock adopted after a restart is not its child, and its exit is
     * seen by a look at /proc every 250 ms, not at once.
     */
    private boolean noticed(MBeanServerConnection c, long pid, String endpoint) throws Exception {
        long until = System.nanoTime() + NOTICE.toNanos();
        do {
            if (!stillRunning(c, pid) || health(endpoint) == 200) return true;
            park(50);
        } while (System.nanoTime() < until);
        return !stillRunning(c, pid);
    }

    private boolean stillRunning(MBeanServerConnection c, long pid) throws Exception {
        return "running".equals(c.getAttribute(SupervisorMBean.NAME, "State"))
                && Long.valueOf(pid).equals(c.getAttribute(SupervisorMBean.NAME, "ServerPid"));
    }

    private int health(String endpoint) {
        try {
            return http.send(
                            HttpRequest.newBuilder(URI.create(endpoint + "/health"))
                                    .timeout(Duration.ofSeconds(5))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    private void checkFiles(String when) {
        try {
            ConfigLoader.load(PaddockHome.fromEnvironment(Map.of("PADDOCK_HOME", home.toString())));
        } catch (ConfigException e) {
            violation(when + ": config.yaml does not load: " + e.getMessage());
        }
        var catalog = PresetLoader.loadDirectory(home.resolve("presets"));
        if (!catalog.problems().isEmpty()) violation(when + ": presets do not load: " + catalog.problems());
        for (String f : List.of("server.json")) {
            Path p = home.resolve(f);
            try {
                if (Files.exists(p)) JSON.readTree(Files.readString(p));
            } catch (IOException e) {
                if (Files.exists(p)) violation(when + ": " + f + " is not whole: " + e.getMessage());
            }
        }
        try {
            List<String> urls = Files.readAllLines(home.resolve("jmx.url"));
            if (urls.isEmpty() || !urls.get(0).startsWith("service:jmx:rmi:"))
                violation(when + ": jmx.url is not whole: " + urls);
        } catch (IOException e) {
            violation(when + ": jmx.url unreadable while Paddock runs: " + e.getMessage());
        }
        try (var logs = Files.list(home.resolve("logs"))) {
            List<Path> llama = logs.filter(p -> p.getFileName().toString().startsWith("llama.log"))
                    .toList();
            if (llama.size() > 4) // log-max-files counts the rotated ones
            violation(when + ": " + llama.size() + " llama.log files (log-max-files: 3 rotated + the live one)");
            for (Path p : llama) {
                long size = Files.size(p);
                if (size > LOG_CAP + 4096)
                    violation(when + ": " + p.getFileName() + " is " + size + " bytes (cap 256KB)");
            }
        } catch (IOException e) {
            violation(when + ": cannot list the logs: " + e.getMessage());
        }
    }

    /** Threads and descriptors from /proc, heap used after a full GC (over JMX), for this daemon lifetime. */
    private void sampleLeaks(MBeanServerConnection c) throws Exception {
        long pid = daemon.pid();
        long threads = Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
                .filter(l -> l.startsWith("Threads:"))
                .mapToLong(l -> Long.parseLong(l.substring(8).trim()))
                .findFirst()
                .orElse(-1);
        long fds;
        try (var s = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            fds = s.count();
        }
        MemoryMXBean memory = JMX.newMXBeanProxy(c, new ObjectName("java.lang:type=Memory"), MemoryMXBean.class);
        memory.gc();
        MemoryUsage heap = memory.getHeapMemoryUsage();
        leakSamples.add(new long[] {lifetime, System.nanoTime() - lifetimeStarted, threads, fds, heap.getUsed()});
    }

    /** Within the last lifetime, after a 20 s warm-up: the first three samples against the last three. */
    private String leaks() {
        List<long[]> last;
        synchronized (leakSamples) {
            last = leakSamples.stream()
                    .filter(s -> s[0] == lifetime && s[1] > TimeUnit.SECONDS.toNanos(20))
                    .toList();
        }
        if (last.size() < 6) {
            violation("too few samples in the last lifetime to judge leaks: " + last.size());
            return "leaks: not judged (" + last.size() + " samples)";
        }
        long[] first = medians(last.subList(0, 3));
        long[] end = medians(last.subList(last.size() - 3, last.size()));
        long minutes = (last.get(last.size() - 1)[1] - last.get(0)[1]) / TimeUnit.SECONDS.toNanos(60);
        String text = String.format(
                Locale.ROOT,
                "flat over the last lifetime (%d samples, %d min): threads %d -> %d, file descriptors %d -> %d,"
                        + " heap after GC %.1f MB -> %.1f MB",
                last.size(),
                minutes,
                first[0],
                end[0],
                first[1],
                end[1],
                first[2] / 1e6,
                end[2] / 1e6);
        if (end[0] > first[0] + 15) violation("threads grew: " + text);
        if (end[1] > first[1] + 30) violation("file descriptors grew: " + text);
        if (end[2] > first[2] + (24L << 20)) violation("heap grew: " + text);
        return text;
    }

    private static long[] medians(List<long[]> samples) {
        long[] out = new long[3];
        for (int k = 0; k < 3; k++) {
            int col = k + 2;
            long[] v = samples.stream().mapToLong(s -> s[col]).sorted().toArray();
            out[k] = v[v.length / 2];
        }
        return out;
    }

    private void stopAndCheckNothingLeft() throws Exception {
        dropJmx();
        daemon.destroy(); // SIGTERM: Paddock stops its server and exits
        if (!daemon.waitFor(60, TimeUnit.SECONDS)) violation("Paddock did not stop on SIGTERM within 60 s");
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!servers().isEmpty() && System.nanoTime() < until) park(50);
        if (!servers().isEmpty()) violation("llama-server outlived Paddock: " + servers());
    }

    // ---- plumbing ----------------------------------------------------------------------------------------------

    private void startDaemon() throws IOException {
        Files.deleteIfExists(home.resolve("jmx.url")); // the killed one's: wait for the new daemon's own
        daemon = cli.startDaemon();
        lifetime++;
        lifetimeStarted = System.nanoTime();
    }

    private synchronized MBeanServerConnection jmxConnection() throws IOException {
        if (jmx == null) {
            String url = Files.readAllLines(home.resolve("jmx.url")).get(0);
            jmx = JMXConnectorFactory.connect(new JMXServiceURL(url));
        }
        return jmx.getMBeanServerConnection();
    }

    private synchronized void dropJmx() {
        if (jmx != null) {
            try {
                jmx.close();
            } catch (IOException e) {
                // already gone
            }
            jmx = null;
        }
    }

    /** This soak's llama-servers, real or fake (their models are under its folder); zombies excluded. */
    private List<ProcessHandle> servers() {
        String mark = dir.toString();
        return ProcessHandle.allProcesses()
                .filter(p -> {
                    String c = commandOf(p);
                    return c.contains(mark)
                            && (c.contains("llama-server ") || c.contains("FakeLlamaServer"))
                            && !c.contains("dev.paddock.app.Main");
                })
                .filter(TestRig::isRunning)
                .toList();
    }

    /** The whole command line: ProcessHandle.Info leaves out the arguments of a long one (a java -cp …). */
    private static String commandOf(ProcessHandle p) {
        try {
            return Files.readString(Path.of("/proc/" + p.pid() + "/cmdline")).replace('\0', ' ');
        } catch (IOException | RuntimeException gone) {
            return "";
        }
    }

    private void violation(String what) {
        String v = String.format(
                Locale.ROOT, "[%.1f s] %s; last steps: %s", (System.nanoTime() - started) / 1e9, what, lastSteps());
        violations.add(v);
    }

    private synchronized void remember(String step) {
        recent.addLast(String.format(Locale.ROOT, "%.1fs %s", (System.nanoTime() - started) / 1e9, step));
        while (recent.size() > 12) recent.removeFirst();
    }

    private synchronized String lastSteps() {
        return String.join(" | ", recent);
    }

    private static void count(Map<String, AtomicLong> m, String key) {
        m.computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet();
    }

    private static Map<String, Long> snapshot(Map<String, AtomicLong> m) {
        Map<String, Long> out = new TreeMap<>();
        m.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    /** A pause between an actor's steps (pacing, not synchronisation). */
    private static void park(long millis) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(millis));
    }
}
