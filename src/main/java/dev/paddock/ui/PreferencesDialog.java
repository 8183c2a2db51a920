package dev.paddock.ui;

import dev.paddock.config.Config;
import dev.paddock.config.ConfigDraft;
import dev.paddock.config.ConfigException;
import dev.paddock.config.PaddockHome;
import dev.paddock.supervisor.ServerVersion;
import java.awt.BorderLayout;
import java.awt.Color;
import java.awt.GridBagLayout;
import java.awt.Window;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import javax.swing.BorderFactory;
import javax.swing.JButton;
import javax.swing.JCheckBox;
import javax.swing.JComboBox;
import javax.swing.JDialog;
import javax.swing.JFileChooser;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JTextField;
import javax.swing.SwingUtilities;
import javax.swing.Timer;

/**
 * Preferences: every setting of {@code config.yaml} a person changes, each checked as it is typed by the loader
 * that reads the file (errors under the field), the llama-server path checked live by running {@code --version}.
 * Save writes the file atomically and says which changes need a restart.
 */
public final class PreferencesDialog extends JDialog {
    private static final long serialVersionUID = 1L;

    /** What saving did: the new config, and the keys that take effect at the next start. */
    public record Saved(Config config, List<String> needRestart, boolean autostart) {}

    private final transient ConfigDraft draft;
    private final transient PaddockHome home;
    private final transient Consumer<Saved> onSave;
    private final transient ExecutorService checker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "paddock-server-check");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, JTextField> fields = new LinkedHashMap<>();
    private final Map<String, JLabel> errors = new LinkedHashMap<>();
    private final JLabel serverCheck = new JLabel(" ");
    private final JComboBox<String> defaultPreset;
    private final JComboBox<String> theme = new JComboBox<>(Config.THEMES.toArray(String[]::new));
    private final JCheckBox autostart = new JCheckBox("Start Paddock when I log in");
    private final JLabel message = new JLabel(" ");
    private final JButton save = new JButton("Save");
    private final Timer serverCheckDelay;
    private final Config before;

    public PreferencesDialog(
            Window owner, PaddockHome home, List<String> presets, boolean autostartOn, Consumer<Saved> onSave) {
        super(owner, "Paddock Preferences", ModalityType.MODELESS);
        setName("preferences");
        this.home = home;
        this.draft = ConfigDraft.load(home);
        this.onSave = onSave;
        Config current;
        try {
            current = draft.validate();
        } catch (ConfigException e) {
            current = Config.defaults(home);
        }
        this.before = current;
        String[] choices = new String[presets.size() + 1];
        choices[0] = "(none)";
        for (int i = 0; i < presets.size(); i++) choices[i + 1] = presets.get(i);
        defaultPreset = new JComboBox<>(choices);
        defaultPreset.setName("default-preset");
        theme.setName("theme");
        autostart.setName("autostart");
        serverCheck.setName("llama-server.check");

        JPanel form = new JPanel(new GridBagLayout());
        form.setBorder(BorderFactory.createEmptyBorder(12, 14, 6, 14));
        int row = Forms.section(form, 0, "Server");
        row = pathRow(
                form,
                row,
                "llama-server",
                "llama-server",
                "found on PATH when blank",
                false,
                "The program that runs models; `paddock install-server` fetches llama.cpp's build.");
        form.add(serverCheck, Forms.at(1, row++, 2));
        form.add(new JLabel("Default preset"), Forms.at(0, row, 1));
        form.add(defaultPreset, Forms.at(1, row++, 1));
        form.add(Forms.helpLabel("default-preset", "Loaded when Paddock starts."), Forms.at(1, row++, 2));
        row = textRow(
                form,
                row,
                "Load timeout",
                "health-timeout",
                "300s",
                "How long a model may take to load (e.g. 300s, 10m).");
        row = textRow(
                form,
                row,
                "Stop grace",
                "stop-timeout",
                "10s",
                "How long llama-server has to exit before it is killed.");

        row = Forms.section(form, row, "Folders");
        row = pathRow(
                form,
                row,
                "Models folder",
                "models-dir",
                current.modelsDir().toString(),
                true,
                "Pulls download here; every GGUF in it is listed.");
        row = pathRow(
                form,
                row,
                "Presets folder",
                "presets-dir",
                current.presetsDir().toString(),
                true,
                "One YAML file per preset; edits show at once.");
        JTextField logs = new JTextField(home.logsDir().toString());
        logs.setEditable(false);
        logs.setName("logs-dir");
        form.add(new JLabel("Logs folder"), Forms.at(0, row, 1));
        form.add(logs, Forms.at(1, row++, 1));
        form.add(
                Forms.helpLabel("logs-dir", "Always PADDOCK_HOME/logs: llama.log and daemon.log."),
                Forms.at(1, row++, 2));

        row = Forms.section(form, row, "Network");
        row = textRow(
                form,
                row,
                "Server host",
                "host",
                Config.DEFAULT_HOST,
                "Where llama-server listens unless a preset says.");
        row = textRow(
                form,
                row,
                "Server port",
                "port",
                Integer.toString(Config.DEFAULT_PORT),
                "Its port unless a preset says (a preset may say auto).");
        row = textRow(
                form,
                row,
                "Gateway port",
                "gateway.port",
                "7233 (0 = off)",
                "The OpenAI-compatible API that switches models by name; at the next start.");
        row = textRow(
                form,
                row,
                "JMX port",
                "jmx.port",
                "7234 (0 = off)",
                "For the CLI, jconsole and scripts (0: no remote connector, local attach only); at the next start.");

        row = Forms.section(form, row, "Appearance");
        form.add(new JLabel("Theme"), Forms.at(0, row, 1));
        form.add(theme, Forms.at(1, row++, 1));
        form.add(
                Forms.helpLabel("theme", "system follows the desktop's light or dark setting."), Forms.at(1, row++, 2));
        form.add(autostart, Forms.at(1, row++, 2));

        String dp = draft.get("default-preset");
        defaultPreset.setSelectedItem(dp.isBlank() ? "(none)" : dp);
        theme.setSelectedItem(draft.get("theme").isBlank() ? "system" : draft.get("theme"));
        autostart.setSelected(autostartOn);

        getContentPane().add(form, BorderLayout.CENTER);
        getContentPane().add(Forms.bottomBar(this, message, save, this::save), BorderLayout.SOUTH);
        if (draft.loadProblem() != null) showMessage(draft.loadProblem(), true);

        serverCheckDelay = new Timer(300, e -> checkServer());
        serverCheckDelay.setRepeats(false);
        checkServer();
        pack();
        setLocationRelativeTo(owner);
    }

    private int pathRow(JPanel form, int row, String label, String key, String hint, boolean folder, String help) {
        JTextField f = field(key, hint);
        JButton browse = new JButton("Browse…");
        browse.setName(key + ".browse");
        browse.addActionListener(e -> {
            JFileChooser c = new JFileChooser(f.getText().isBlank() ? hint : f.getText());
            c.setFileSelectionMode(folder ? JFileChooser.DIRECTORIES_ONLY : JFileChooser.FILES_ONLY);
            if (c.showOpenDialog(this) == JFileChooser.APPROVE_OPTION) {
                f.setText(c.getSelectedFile().getAbsolutePath());
            }
        });
        form.add(new JLabel(label), Forms.at(0, row, 1));
        form.add(f, Forms.at(1, row, 1));
        form.add(browse, Forms.at(2, row++, 1));
        form.add(Forms.note(errors.get(key), key, help), Forms.at(1, row++, 2));
        return row;
    }

    private int textRow(JPanel form, int row, String label, String key, String hint, String help) {
        JTextField f = field(key, hint);
        form.add(new JLabel(label), Forms.at(0, row, 1));
        form.add(f, Forms.at(1, row++, 1));
        form.add(Forms.note(errors.get(key), key, help), Forms.at(1, row++, 2));
        return row;
    }

    private JTextField field(String key, String hint) {
        JTextField f = new JTextField(draft.get(key), 28);
        f.setName(key);
        f.putClientProperty("JTextField.placeholderText", hint); // FlatLaf shows it while the field is empty
        JLabel err = Forms.errorLabel(key);
        fields.put(key, f);
        errors.put(key, err);
        Forms.onEdit(f, () -> changed(key));
        return f;
    }

    private void changed(String key) {
        draft.set(key, fields.get(key).getText());
        String problem = draft.problem(key);
        errors.get(key).setText(problem == null ? " " : problem);
        save.setEnabled(errors.values().stream().allMatch(l -> l.getText().isBlank()));
        if (key.equals("llama-server")) serverCheckDelay.restart();
    }

    /** Runs --version off the event thread; shows the answer if the field still holds that path. */
    private void checkServer() {
        String text = fields.get("llama-server").getText().trim();
        if (text.isEmpty()) {
            serverCheck.setText("llama-server will be looked up on PATH");
            return;
        }
        serverCheck.setText("checking…");
        Path p = Path.of(text.startsWith("~") ? System.getProperty("user.home") + text.substring(1) : text);
        checker.execute(() -> {
            ServerVersion.Result r = ServerVersion.check(p);
            SwingUtilities.invokeLater(() -> {
                if (!fields.get("llama-server").getText().trim().equals(text)) return;
                serverCheck.setText((r.ok() ? "✓ " : "✗ ") + r.message());
                serverCheck.setForeground(r.ok() ? new Color(0x2E, 0x8B, 0x3F) : new Color(0xD0, 0x30, 0x30));
            });
        });
    }

    private void save() {
        for (String key : fields.keySet()) draft.set(key, fields.get(key).getText());
        String dp = (String) defaultPreset.getSelectedItem();
        draft.set("default-preset", "(none)".equals(dp) ? "" : dp);
        String t = (String) theme.getSelectedItem();
        draft.set("theme", "system".equals(t) ? "" : t);
        Config saved;
        try {
            saved = draft.save();
        } catch (ConfigException e) {
            showMessage(e.getMessage(), true);
            return;
        } catch (IOException e) {
            showMessage("cannot write " + home.configFile() + ": " + e.getMessage(), true);
            return;
        }
        List<String> restart = ConfigDraft.needingRestart(before, saved);
        showMessage(
                restart.isEmpty()
                        ? "Saved. New settings apply to the next load."
                        : "Saved. Restart Paddock to apply: " + String.join(", ", restart) + ".",
                false);
        onSave.accept(new Saved(saved, restart, autostart.isSelected()));
    }

    private void showMessage(String text, boolean error) {
        message.setText("<html>" + escape(text).replace("\n", "<br>") + "</html>");
        message.setForeground(error ? new Color(0xD0, 0x30, 0x30) : null);
        pack();
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    @Override
    public void dispose() {
        checker.shutdownNow();
        super.dispose();
    }
}
