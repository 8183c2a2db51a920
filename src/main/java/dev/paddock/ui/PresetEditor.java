package dev.paddock.ui;

import dev.paddock.config.AtomicFile;
import dev.paddock.config.Problem;
import dev.paddock.core.PaddockException;
import dev.paddock.preset.Preset;
import dev.paddock.preset.PresetDraft;
import java.awt.BorderLayout;
import java.awt.Font;
import java.awt.GridBagLayout;
import java.awt.Window;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import javax.swing.BorderFactory;
import javax.swing.JButton;
import javax.swing.JDialog;
import javax.swing.JFileChooser;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JTextArea;
import javax.swing.JTextField;
import javax.swing.filechooser.FileNameExtensionFilter;

/**
 * New preset… / Edit: the fields of a preset, checked as they are typed by the parser that reads preset files,
 * with the llama-server command line it will run shown live. Save writes {@code presets-dir/NAME.yaml}
 * atomically; a running Paddock picks it up at once.
 */
public final class PresetEditor extends JDialog {
    private static final long serialVersionUID = 1L;

    /** Plans a preset into its command line; throws with the reason it cannot run. */
    public interface Planner {
        /** What a load of {@code preset} would run (the model found, nothing downloaded). */
        dev.paddock.supervisor.LaunchSpec plan(Preset preset) throws PaddockException;
    }

    private final transient Path presetsDir;
    private final transient Planner planner;
    private final transient Consumer<Path> onSave;
    private final String editing;
    private final Map<String, JTextField> fields = new LinkedHashMap<>();
    private final Map<String, JLabel> errors = new LinkedHashMap<>();
    private final JTextArea command = new JTextArea(3, 48);
    private final JLabel modelInfo = new JLabel(" ");
    private final JLabel message = new JLabel(" ");
    private final JButton save = new JButton("Save");
    private final transient java.util.concurrent.ExecutorService planning =
            java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "paddock-preset-plan");
                t.setDaemon(true);
                return t;
            });
    /** The latest edit's number: a plan for an older one is skipped, or its result dropped. */
    private final java.util.concurrent.atomic.AtomicInteger planned = new java.util.concurrent.atomic.AtomicInteger();
    /** The free GPU memory as last asked of nvidia-smi, and when; planning thread only. */
    private java.util.OptionalLong vram;

    private long vramAt;

    /** @param existing the preset to edit, or null for a new one */
    public PresetEditor(Window owner, Path presetsDir, Preset existing, Planner planner, Consumer<Path> onSave) {
        super(owner, existing == null ? "New preset" : "Edit preset " + existing.name(), ModalityType.MODELESS);
        setName("preset-editor");
        this.presetsDir = presetsDir;
        this.planner = planner;
        this.onSave = onSave;
        this.editing = existing == null ? null : existing.name();
        PresetDraft d = existing == null ? null : PresetDraft.of(existing);

        JPanel form = new JPanel(new GridBagLayout());
        form.setBorder(BorderFactory.createEmptyBorder(12, 14, 6, 14));
        int row = Forms.section(form, 0, "Preset");
        row = row(form, row, "Name", "name", d == null ? "" : d.name(), "letters, digits, . _ -");
        row = row(form, row, "Description", "description", d == null ? "" : text(d.description()), "optional");
        row = Forms.section(form, row, "Model");
        row = modelRow(form, row, d == null ? "" : d.model());
        modelInfo.setName("model.info");
        // as wide as the column gives it, never wider (a long header or error must not widen the dialog); the whole
        // line is its tooltip
        modelInfo.setPreferredSize(new java.awt.Dimension(1, modelInfo.getPreferredSize().height));
        form.add(modelInfo, Forms.at(1, row++, 2));
        row = row(
                form,
                row,
                "Context size",
                "context-size",
                d == null ? "" : text(d.contextSize()),
                "-c; model default when blank");
        row = row(form, row, "GPU layers", "gpu-layers", d == null ? "" : text(d.gpuLayers()), "-ngl");
        row = row(form, row, "Threads", "threads", d == null ? "" : text(d.threads()), "-t");
        row = Forms.section(form, row, "Server");
        row = row(
                form, row, "Port", "port", d == null ? "" : text(d.port()), "a number, auto, or blank for the default");
        row = row(
                form,
                row,
                "Extra arguments",
                "args",
                d == null ? "" : String.join(" ", d.args()),
                "e.g. --jinja --flash-attn on");
        form.add(new JLabel("Command line"), Forms.at(0, row, 1));
        command.setName("command");
        command.setEditable(false);
        command.setLineWrap(true);
        command.setFont(new Font(Font.MONOSPACED, Font.PLAIN, command.getFont().getSize()));
        form.add(command, Forms.at(1, row++, 2));

        getContentPane().add(form, BorderLayout.CENTER);
        getContentPane().add(Forms.bottomBar(this, message, save, this::save), BorderLayout.SOUTH);
        refresh();
        pack();
        setLocationRelativeTo(owner);
    }

    /**
     * A new preset's name, model and extra arguments filled in (the Models window's New preset…); {@code name} is
     * made a preset name (letters, digits, {@code . _ -}). Event thread.
     */
    public PresetEditor prefill(String name, String model, String args) {
        fields.get("name").setText(name.replaceAll("[^A-Za-z0-9._-]+", "-"));
        fields.get("model").setText(model);
        fields.get("args").setText(args);
        return this;
    }

    private static String text(Object o) {
        return o == null ? "" : o.toString();
    }

    private int modelRow(JPanel form, int row, String value) {
        JTextField f = field("model", value, "a .gguf file, or h:ORG/REPO[:QUANT]");
        JButton browse = new JButton("Browse…");
        browse.setName("model.browse");
        browse.addActionListener(e -> {
            JFileChooser c = new JFileChooser();
            c.setFileFilter(new FileNameExtensionFilter("GGUF models", "gguf"));
            if (c.showOpenDialog(this) == JFileChooser.APPROVE_OPTION) {
                f.setText(c.getSelectedFile().getAbsolutePath());
            }
        });
        form.add(new JLabel("Model"), Forms.at(0, row, 1));
        form.add(f, Forms.at(1, row, 1));
        form.add(browse, Forms.at(2, row++, 1));
        form.add(errors.get("model"), Forms.at(1, row++, 2));
        return row;
    }

    private int row(JPanel form, int row, String label, String key, String value, String hint) {
        JTextField f = field(key, value, hint);
        form.add(new JLabel(label), Forms.at(0, row, 1));
        form.add(f, Forms.at(1, row++, 1));
        form.add(errors.get(key), Forms.at(1, row++, 2));
        return row;
    }

    private JTextField field(String key, String value, String hint) {
        JTextField f = new JTextField(value, 30);
        f.setName(key);
        f.putClientProperty("JTextField.placeholderText", hint);
        JLabel err = Forms.errorLabel(key);
        fields.put(key, f);
        errors.put(key, err);
        Forms.onEdit(f, this::refresh);
        return f;
    }

    private String get(String key) {
        return fields.get(key).getText().trim();
    }

    /** The draft from the fields; number fields that are not numbers are reported under them. */
    private PresetDraft draft(Map<String, String> problems) {
        String model = get("model");
        if (!model.isEmpty()
                && !model.startsWith("h:")
                && !model.startsWith("f:")
                && Path.of(model).isAbsolute()) {
            model = "f:" + model;
        }
        return new PresetDraft(
                get("name"),
                get("description"),
                model,
                null,
                get("port"),
                number("context-size", problems),
                number("gpu-layers", problems),
                number("threads", problems),
                null,
                args(get("args")),
                null,
                null,
                null,
                null);
    }

    private Integer number(String key, Map<String, String> problems) {
        String t = get(key);
        if (t.isEmpty()) return null;
        try {
            return Integer.parseInt(t);
        } catch (NumberFormatException e) {
            problems.put(key, "a whole number, or blank");
            return null;
        }
    }

    /** Splits on spaces; double quotes keep spaces inside one argument. */
    static List<String> args(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        for (char c : text.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
                any = true;
            } else if (Character.isWhitespace(c) && !quoted) {
                if (any) out.add(cur.toString());
                cur.setLength(0);
                any = false;
            } else {
                cur.append(c);
                any = true;
            }
        }
        if (any) out.add(cur.toString());
        return out;
    }

    /** Re-checks everything: errors under fields, the command line, whether Save is allowed. */
    private Preset refresh() {
        Map<String, String> problems = new LinkedHashMap<>();
        PresetDraft d = draft(problems);
        List<Problem> found = new ArrayList<>();
        Preset p = null;
        if (get("name").isEmpty()) problems.put("name", "a preset needs a name");
        else if (get("model").isEmpty()) problems.put("model", "which model to run");
        else p = d.check(target(), found);
        for (Problem pr : found) problems.putIfAbsent(pr.key() == null ? "name" : pr.key(), pr.message());
        if (p != null && !problems.containsKey("name") && !get("name").equals(editing) && Files.exists(target())) {
            problems.put("name", "a preset file " + target().getFileName() + " exists already");
        }
        for (Map.Entry<String, JLabel> e : errors.entrySet()) {
            String msg = problems.get(e.getKey());
            e.getValue().setText(msg == null ? " " : msg);
        }
        int gen = planned.incrementAndGet();
        if (p == null || !problems.isEmpty()) {
            command.setText("");
            if (problems.containsKey("model") || get("model").isEmpty()) showModel(" ", null);
        } else {
            Preset toPlan = p;
            planning.execute(
                    () -> { // planning and the header look at the model on disk: never on the event thread
                        if (gen != planned.get()) return; // typed over already: only the latest edit is planned
                        String cmd;
                        ModelInfo info = null;
                        try {
                            var spec = planner.plan(toPlan);
                            cmd = spec.commandLine();
                            info = ModelInfo.of(spec.model(), toPlan.contextSize(), freeVram());
                        } catch (PaddockException e) {
                            cmd = "(cannot run yet: " + e.getMessage() + ")";
                        } catch (RuntimeException e) {
                            cmd = "(cannot plan it: " + e + ")";
                        }
                        String line = cmd;
                        ModelInfo shown = info;
                        javax.swing.SwingUtilities.invokeLater(() -> {
                            if (gen != planned.get()) return; // an older plan does not overwrite a newer one
                            command.setText(line);
                            if (shown == null) showModel(" ", null);
                            else showModel(shown.text(), shown.mark());
                        });
                    });
        }
        save.setEnabled(p != null && problems.isEmpty());
        return problems.isEmpty() ? p : null;
    }

    /** The model's header in a line, and how it fits in the memory free now. */
    record ModelInfo(String text, dev.paddock.model.MemoryFit.Mark mark) {
        /** Reads the header and estimates the memory; worker thread (it reads the file, and may ask nvidia-smi). */
        static ModelInfo of(Path model, Integer contextSize, java.util.OptionalLong freeVram) {
            try {
                var info = dev.paddock.model.GgufReader.read(model);
                var estimate = dev.paddock.model.MemoryFit.estimate(model, info, contextSize);
                var mark = dev.paddock.model.MemoryFit.mark(
                        estimate, dev.paddock.model.MemoryFit.availableRam(), freeVram);
                String needs = estimate.total() >= 1e9
                        ? String.format(java.util.Locale.ROOT, "%.1f GB", estimate.total() / 1e9)
                        : Math.max(1, Math.round(estimate.total() / 1e6)) + " MB";
                String label = mark == dev.paddock.model.MemoryFit.Mark.UNKNOWN ? "free memory unknown" : mark.label();
                return new ModelInfo(
                        Character.toUpperCase(label.charAt(0)) + label.substring(1) + ": needs ~" + needs + " with "
                                + estimate.context() + " tokens of context · " + info.summary(),
                        mark);
            } catch (dev.paddock.model.GgufException | IOException | RuntimeException e) {
                return new ModelInfo("cannot read its header: " + e.getMessage(), null);
            }
        }
    }

    /** The free GPU memory, asked of nvidia-smi at most every 10 s (it takes up to 3 s). Planning thread. */
    private java.util.OptionalLong freeVram() {
        long now = System.nanoTime();
        if (vram == null || now - vramAt > 10_000_000_000L) {
            vram = dev.paddock.model.MemoryFit.freeVram(System.getenv("PATH"));
            vramAt = now;
        }
        return vram;
    }

    private void showModel(String text, dev.paddock.model.MemoryFit.Mark mark) {
        modelInfo.setText(text);
        modelInfo.setToolTipText(text.isBlank() ? null : text);
        modelInfo.setForeground(
                mark == dev.paddock.model.MemoryFit.Mark.FITS
                        ? ModelsWindow.FitRenderer.FITS
                        : mark == dev.paddock.model.MemoryFit.Mark.TIGHT
                                ? ModelsWindow.FitRenderer.TIGHT
                                : mark == dev.paddock.model.MemoryFit.Mark.WILL_NOT_FIT
                                        ? ModelsWindow.FitRenderer.WILL_NOT_FIT
                                        : javax.swing.UIManager.getColor("Label.foreground"));
    }

    @Override
    public void dispose() {
        planning.shutdownNow();
        super.dispose();
    }

    private Path target() {
        return presetsDir.resolve(get("name") + ".yaml");
    }

    private void save() {
        Preset p = refresh();
        if (p == null) return;
        Map<String, String> ignored = new LinkedHashMap<>();
        String text = draft(ignored).toYaml();
        try {
            Files.createDirectories(presetsDir);
            AtomicFile.write(target(), text.getBytes(StandardCharsets.UTF_8));
            if (editing != null && !editing.equals(get("name"))) {
                Files.deleteIfExists(presetsDir.resolve(editing + ".yaml"));
            }
        } catch (IOException e) {
            message.setText("cannot write " + target() + ": " + e.getMessage());
            return;
        }
        onSave.accept(target());
        dispose();
    }
}
