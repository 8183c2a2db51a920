package dev.paddock.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * A YAML mapping read as SnakeYAML nodes, so that every value keeps the line it came from. Only the node tree is
 * composed: no Java object is ever constructed from the document, so a file cannot instantiate arbitrary types.
 *
 * <p>Accessors never throw on bad input: they add a {@link Problem} naming the file, line and key to the shared
 * sink and return null, so one pass reports everything wrong with a file.
 */
public final class YamlMap {
    private static final int MAX_DOCUMENT_CHARS = 1 << 20;

    private final Path file;
    private final String prefix;
    private final int line;
    private final Map<String, NodeTuple> entries = new LinkedHashMap<>();
    private final List<Problem> sink;

    private YamlMap(Path file, String prefix, int line, MappingNode node, List<Problem> sink) {
        this.file = file;
        this.prefix = prefix;
        this.line = line;
        this.sink = sink;
        if (node == null) return;
        for (NodeTuple t : node.getValue()) {
            if (!(t.getKeyNode() instanceof ScalarNode k)) {
                problem(lineOf(t.getKeyNode()), null, "keys must be plain words");
                continue;
            }
            if (entries.putIfAbsent(k.getValue(), t) != null) {
                problem(lineOf(k), k.getValue(), "given twice; keep one");
            }
        }
    }

    /**
     * Parses a document whose top level must be a mapping (an empty document is an empty mapping).
     *
     * @return the mapping, or null when the text is not YAML or not a mapping (a problem was added)
     */
    public static YamlMap parse(Path file, String text, List<Problem> sink) {
        if (text.length() > MAX_DOCUMENT_CHARS) {
            sink.add(new Problem(file, 0, null, "file is larger than 1 MiB; is it the right file?"));
            return null;
        }
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(true); // duplicates are reported by line in the constructor above
        options.setMaxAliasesForCollections(20);
        options.setNestingDepthLimit(20);
        options.setCodePointLimit(MAX_DOCUMENT_CHARS);
        Node root;
        try {
            root = new Yaml(options).compose(new java.io.StringReader(text));
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String what = e.getProblem() != null ? e.getProblem() : e.getMessage();
            sink.add(new Problem(file, mark == null ? 0 : mark.getLine() + 1, null, "not valid YAML: " + what));
            return null;
        } catch (YAMLException e) {
            sink.add(new Problem(file, 0, null, "not valid YAML: " + e.getMessage()));
            return null;
        }
        if (root == null) return new YamlMap(file, "", 0, null, sink);
        if (!(root instanceof MappingNode m)) {
            sink.add(new Problem(file, lineOf(root), null, "expected 'key: value' lines at the top level"));
            return null;
        }
        return new YamlMap(file, "", lineOf(root), m, sink);
    }

    public Path file() {
        return file;
    }

    public boolean has(String key) {
        return entries.containsKey(key);
    }

    /** The line of {@code key}, or of this mapping when the key is absent. */
    public int lineOf(String key) {
        NodeTuple t = entries.get(key);
        return t == null ? line : lineOf(t.getKeyNode());
    }

    /** Reports every key not in {@code known}, with the list of keys that are allowed. */
    public void rejectUnknown(Set<String> known) {
        for (Map.Entry<String, NodeTuple> e : entries.entrySet()) {
            if (!known.contains(e.getKey())) {
                problem(
                        lineOf(e.getValue().getKeyNode()),
                        e.getKey(),
                        "unknown key; allowed here: " + String.join(", ", new TreeSet<>(known)));
            }
        }
    }

    public String string(String key) {
        ScalarNode n = scalar(key, "text");
        return n == null ? null : n.getValue();
    }

    /** A required text value; reports it as missing when absent. */
    public String requiredString(String key, String hint) {
        if (!entries.containsKey(key) || isNull(entries.get(key).getValueNode())) {
            problem(line, key, "missing; " + hint);
            return null;
        }
        return string(key);
    }

    /** {@code true} or {@code false}; null when absent. */
    public Boolean bool(String key) {
        ScalarNode n = scalar(key, "true or false");
        if (n == null) return null;
        return switch (n.getValue()) {
            case "true", "yes", "on" -> Boolean.TRUE;
            case "false", "no", "off" -> Boolean.FALSE;
            default -> {
                problem(lineOf(key), key, "expected true or false, got '" + n.getValue() + "'");
                yield null;
            }
        };
    }

    public Integer integer(String key, long min, long max) {
        ScalarNode n = scalar(key, "a whole number");
        if (n == null) return null;
        return toInt(key, n, min, max);
    }

    /** A port: a number from 1 to 65535, or {@code auto} (returned as 0) when {@code allowAuto}. */
    public Integer port(String key, boolean allowAuto) {
        ScalarNode n = scalar(key, "a port number");
        if (n == null) return null;
        if (allowAuto && n.getValue().equals("auto")) return 0;
        String range = allowAuto ? "a port from 1 to 65535 or 'auto'" : "a port from 1 to 65535";
        if (!n.getValue().matches("\\d{1,5}")) {
            problem(lineOf(n), key, "expected " + range + ", got '" + n.getValue() + "'");
            return null;
        }
        int p = Integer.parseInt(n.getValue());
        if (p < 1 || p > 65535) {
            problem(lineOf(n), key, "expected " + range + ", got " + p);
            return null;
        }
        return p;
    }

    /** Like {@link #port} but 0 is allowed and means "off". */
    public Integer portOrOff(String key) {
        ScalarNode n = scalar(key, "a port number");
        if (n == null) return null;
        return toInt(key, n, 0, 65535);
    }

    public Duration duration(String key) {
        return parsed(key, "a duration", Durations::parse);
    }

    public Long byteSize(String key) {
        return parsed(key, "a size", ByteSizes::parse);
    }

    /** A scalar run through {@code parser}, whose IllegalArgumentException message becomes the problem. */
    private <T> T parsed(String key, String expected, java.util.function.Function<String, T> parser) {
        ScalarNode n = scalar(key, expected);
        if (n == null) return null;
        try {
            return parser.apply(n.getValue());
        } catch (IllegalArgumentException e) {
            problem(lineOf(n), key, e.getMessage());
            return null;
        }
    }

    /** A list of text items; a single scalar is not accepted, so {@code args: --jinja} is reported, not split. */
    public List<String> stringList(String key) {
        Node v = value(key);
        if (v == null) return null;
        if (!(v instanceof SequenceNode seq)) {
            problem(lineOf(v), key, "expected a list, e.g. [\"--jinja\", \"--flash-attn\", \"on\"]");
            return null;
        }
        List<String> out = new ArrayList<>();
        for (Node item : seq.getValue()) {
            if (!(item instanceof ScalarNode s) || isNull(item)) {
                problem(lineOf(item), key, "list items must be plain values");
                return null;
            }
            out.add(s.getValue());
        }
        return out;
    }

    /** A mapping of names to text values, e.g. environment variables. */
    public Map<String, String> stringMap(String key) {
        Node v = value(key);
        if (v == null) return null;
        if (!(v instanceof MappingNode m)) {
            problem(lineOf(v), key, "expected 'NAME: value' pairs, e.g. {CUDA_VISIBLE_DEVICES: \"0\"}");
            return null;
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (NodeTuple t : m.getValue()) {
            if (!(t.getKeyNode() instanceof ScalarNode k) || !(t.getValueNode() instanceof ScalarNode val)) {
                problem(lineOf(t.getKeyNode()), key, "expected 'NAME: value' pairs");
                return null;
            }
            out.put(k.getValue(), isNull(val) ? "" : val.getValue());
        }
        return out;
    }

    /** A nested mapping; absent or null gives an empty one so callers can read defaults uniformly. */
    public YamlMap child(String key) {
        Node v = value(key);
        String childPrefix = prefix + key + ".";
        if (v == null) return new YamlMap(file, childPrefix, lineOf(key), null, sink);
        if (!(v instanceof MappingNode m)) {
            problem(lineOf(v), key, "expected nested 'key: value' lines");
            return new YamlMap(file, childPrefix, lineOf(v), null, sink);
        }
        return new YamlMap(file, childPrefix, lineOf(v), m, sink);
    }

    /** Adds a problem about {@code key} of this mapping. */
    public void problem(String key, String message) {
        problem(lineOf(key), key, message);
    }

    private void problem(int atLine, String key, String message) {
        sink.add(new Problem(file, atLine, key == null ? null : prefix + key, message));
    }

    private Node value(String key) {
        NodeTuple t = entries.get(key);
        if (t == null || isNull(t.getValueNode())) return null;
        return t.getValueNode();
    }

    private ScalarNode scalar(String key, String expected) {
        Node v = value(key);
        if (v == null) return null;
        if (!(v instanceof ScalarNode s)) {
            problem(
                    lineOf(v),
                    key,
                    "expected " + expected + ", got a " + (v instanceof SequenceNode ? "list" : "mapping"));
            return null;
        }
        return s;
    }

    private Integer toInt(String key, ScalarNode n, long min, long max) {
        String text = n.getValue().replace("_", "");
        if (!text.matches("-?\\d{1,10}")) {
            problem(lineOf(n), key, "expected a whole number, got '" + n.getValue() + "'");
            return null;
        }
        long v = Long.parseLong(text);
        if (v < min || v > max) {
            problem(lineOf(n), key, "expected a number from " + min + " to " + max + ", got " + v);
            return null;
        }
        return (int) v;
    }

    private static boolean isNull(Node n) {
        return n instanceof ScalarNode s && s.getTag().equals(Tag.NULL);
    }

    private static int lineOf(Node n) {
        return n.getStartMark() == null ? 0 : n.getStartMark().getLine() + 1;
    }
}
