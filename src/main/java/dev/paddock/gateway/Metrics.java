package dev.paddock.gateway;

import dev.paddock.supervisor.ServerState;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * The gateway's counters, written as Prometheus text on {@code GET /metrics}: loads and their times, gateway
 * switches and their times, requests and their latencies per preset, the queue behind a switch. Labels only take
 * values Paddock knows (preset names, the API's own paths, status codes), so a client cannot grow the set.
 */
final class Metrics {
    private static final double[] BUCKETS = {.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60, 300};
    private static final Set<String> PATHS = Set.of(
            "/v1/chat/completions",
            "/v1/completions",
            "/v1/embeddings",
            "/v1/rerank",
            "/v1/models",
            "/completion",
            "/infill",
            "/tokenize",
            "/detokenize",
            "/embedding",
            "/embeddings",
            "/rerank",
            "/reranking",
            "/props",
            "/slots",
            "/apply-template");

    private final Map<String, LongAdder> loads = new ConcurrentHashMap<>();
    private final Map<String, Histogram> loadSeconds = new ConcurrentHashMap<>();
    private final Map<String, Histogram> switchSeconds = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
    private final Map<String, Histogram> requestSeconds = new ConcurrentHashMap<>();
    private final LongAdder rejected = new LongAdder();

    /** A label set, already escaped and joined: {@code preset="tiny",result="ok"}. */
    private static String labels(String... kv) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < kv.length; i += 2) {
            if (i > 0) b.append(',');
            b.append(kv[i]).append("=\"").append(escape(kv[i + 1])).append('"');
        }
        return b.toString();
    }

    private static String escape(String v) {
        return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    /** The path as a label: one of the API's own, else {@code other}. */
    static String pathLabel(String path) {
        return PATHS.contains(path) ? path : "other";
    }

    /** Counts loads and their times from the switchboard's status changes. */
    void onStatus(dev.paddock.switchboard.Status before, dev.paddock.switchboard.Status after) {
        ServerState from = before.server();
        ServerState to = after.server();
        if (from == to || !(from instanceof ServerState.Loading l)) return;
        String preset = l.spec().presetName();
        if (to instanceof ServerState.Running r) {
            loads.computeIfAbsent(labels("preset", preset, "result", "ok"), k -> new LongAdder())
                    .increment();
            loadSeconds
                    .computeIfAbsent(labels("preset", preset), k -> new Histogram())
                    .observe(Duration.between(l.since(), r.since()));
        } else if (to instanceof ServerState.Failed) {
            loads.computeIfAbsent(labels("preset", preset, "result", "failed"), k -> new LongAdder())
                    .increment();
        }
    }

    /** A switch to a server, whoever asked for it (the old server's stop included). */
    void switched(String preset, Duration took) {
        switchSeconds
                .computeIfAbsent(labels("preset", preset), k -> new Histogram())
                .observe(took);
    }

    /** A forwarded request, from its arrival (queueing and any switch included) to its last byte. */
    void request(String preset, String path, int status, Duration took) {
        String p = preset == null ? "" : preset;
        requests.computeIfAbsent(
                        labels("preset", p, "path", pathLabel(path), "code", Integer.toString(status)),
                        k -> new LongAdder())
                .increment();
        requestSeconds
                .computeIfAbsent(labels("preset", p), k -> new Histogram())
                .observe(took);
    }

    /** A request turned away because the queue was full. */
    void rejected() {
        rejected.increment();
    }

    /** The Prometheus text exposition, with the gauges read now. */
    String render(ServerState state, int queued, int inFlight) {
        StringBuilder b = new StringBuilder(2048);
        header(b, "paddock_state", "gauge", "1 for the supervisor's current state");
        for (String s : new String[] {"idle", "loading", "running", "stopping", "failed"}) {
            b.append("paddock_state{state=\"")
                    .append(s)
                    .append("\"} ")
                    .append(state.name().equals(s) ? 1 : 0)
                    .append('\n');
        }
        header(b, "paddock_queue_length", "gauge", "requests waiting behind a switch");
        b.append("paddock_queue_length ").append(queued).append('\n');
        header(b, "paddock_requests_in_flight", "gauge", "requests being served by llama-server");
        b.append("paddock_requests_in_flight ").append(inFlight).append('\n');
        header(b, "paddock_requests_rejected_total", "counter", "requests answered 503 because the queue was full");
        b.append("paddock_requests_rejected_total ").append(rejected.sum()).append('\n');
        counters(b, "paddock_loads_total", "loads that ended running (ok) or failed", loads);
        histograms(b, "paddock_load_duration_seconds", "from spawning llama-server until it is healthy", loadSeconds);
        histograms(
                b,
                "paddock_switch_duration_seconds",
                "switches to a server, whoever asked, the old server's stop included",
                switchSeconds);
        counters(b, "paddock_requests_total", "requests forwarded to llama-server", requests);
        histograms(
                b,
                "paddock_request_duration_seconds",
                "forwarded requests, arrival to last byte (queueing and switching included)",
                requestSeconds);
        return b.toString();
    }

    private static void header(StringBuilder b, String name, String type, String help) {
        b.append("# HELP ").append(name).append(' ').append(help).append('\n');
        b.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static void counters(StringBuilder b, String name, String help, Map<String, LongAdder> m) {
        header(b, name, "counter", help);
        new TreeMap<>(m).forEach((labels, v) -> b.append(name)
                .append('{')
                .append(labels)
                .append("} ")
                .append(v.sum())
                .append('\n'));
    }

    private static void histograms(StringBuilder b, String name, String help, Map<String, Histogram> m) {
        header(b, name, "histogram", help);
        new TreeMap<>(m).forEach((labels, h) -> h.render(b, name, labels));
    }

    /** Cumulative buckets in seconds, as Prometheus histograms are. */
    private static final class Histogram {
        private final LongAdder[] counts = new LongAdder[BUCKETS.length];
        private final LongAdder count = new LongAdder();
        private final DoubleAdder sum = new DoubleAdder();

        Histogram() {
            for (int i = 0; i < counts.length; i++) counts[i] = new LongAdder();
        }

        void observe(Duration d) {
            double s = d.toNanos() / 1e9;
            for (int i = 0; i < BUCKETS.length; i++) {
                if (s <= BUCKETS[i]) {
                    counts[i].increment();
                    break;
                }
            }
            count.increment();
            sum.add(s);
        }

        void render(StringBuilder b, String name, String labels) {
            long cumulative = 0;
            for (int i = 0; i < BUCKETS.length; i++) {
                cumulative += counts[i].sum();
                b.append(name)
                        .append("_bucket{")
                        .append(labels)
                        .append(",le=\"")
                        .append(BUCKETS[i])
                        .append("\"} ")
                        .append(cumulative)
                        .append('\n');
            }
            long n = Math.max(count.sum(), cumulative); // read apart from the buckets: never fewer than them
            b.append(name)
                    .append("_bucket{")
                    .append(labels)
                    .append(",le=\"+Inf\"} ")
                    .append(n)
                    .append('\n');
            b.append(name)
                    .append("_sum{")
                    .append(labels)
                    .append("} ")
                    .append(sum.sum())
                    .append('\n');
            b.append(name)
                    .append("_count{")
                    .append(labels)
                    .append("} ")
                    .append(n)
                    .append('\n');
        }
    }
}
