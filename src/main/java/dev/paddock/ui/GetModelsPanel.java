package dev.paddock.ui;

import dev.paddock.core.PaddockException;
import dev.paddock.hub.Downloads;
import dev.paddock.hub.HubClient;
import dev.paddock.hub.Puller;
import dev.paddock.model.MemoryFit;
import java.awt.BorderLayout;
import java.awt.Dimension;
import java.awt.FlowLayout;
import java.awt.Font;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BiConsumer;
import javax.swing.BorderFactory;
import javax.swing.BoxLayout;
import javax.swing.DefaultListModel;
import javax.swing.JButton;
import javax.swing.JLabel;
import javax.swing.JList;
import javax.swing.JPanel;
import javax.swing.JProgressBar;
import javax.swing.JScrollPane;
import javax.swing.JSplitPane;
import javax.swing.JTable;
import javax.swing.JTextField;
import javax.swing.ListSelectionModel;
import javax.swing.SwingUtilities;
import javax.swing.table.DefaultTableModel;

/**
 * The Models window's Get models tab: search the hub, see a repository's quantizations with their sizes and
 * whether their weights fit, name {@code h:ORG/REPO[:QUANT]} or {@code o:NAME[:TAG]} directly, and download with a
 * progress bar (bytes, speed, time left), pause, resume and cancel. The downloads belong to the running Paddock: they
 * go on when the window closes and show here again when it opens.
 */
final class GetModelsPanel extends JPanel {
    private static final long serialVersionUID = 1L;

    private final transient ModelsWindow.Library library;
    private final transient Downloads downloads;
    private final transient BiConsumer<String, Boolean> say;
    private final transient java.util.function.Consumer<String> downloaded;
    private final transient ExecutorService workers = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "paddock-get-models");
        t.setDaemon(true);
        return t;
    });
    private final transient Downloads.Listener listener = s -> SwingUtilities.invokeLater(() -> show(s));
    private final JTextField query = new JTextField(30);
    private final DefaultListModel<String> repoIds = new DefaultListModel<>();
    private final JList<String> repos = new JList<>(repoIds);
    private final DefaultTableModel offerRows =
            new DefaultTableModel(new Object[] {"Quant", "Size", "Files", "Fit"}, 0) {
                private static final long serialVersionUID = 1L;

                @Override
                public boolean isCellEditable(int row, int column) {
                    return false;
                }
            };
    private final JTable offerTable = new JTable(offerRows);
    private final JButton download = new JButton("Download");
    private final JPanel list = new JPanel();
    private final Map<String, Row> rows = new LinkedHashMap<>(); // event thread only
    private transient List<Puller.Offer> offers = List.of(); // event thread only

    /**
     * @param say the window's status line (text, whether it is an error)
     * @param downloaded told when a download completes, with the line to show (the window lists the models again)
     */
    GetModelsPanel(
            ModelsWindow.Library library,
            BiConsumer<String, Boolean> say,
            java.util.function.Consumer<String> downloaded) {
        super(new BorderLayout());
        this.library = library;
        this.downloads = library.downloads();
        this.say = say;
        this.downloaded = downloaded;

        query.setName("hub-query");
        query.putClientProperty("JTextField.placeholderText", "qwen coder · h:ORG/REPO · o:llama3.2:1b");
        query.addActionListener(e -> search());
        JButton go = new JButton("Search");
        go.setName("hub-search");
        go.addActionListener(e -> search());
        JPanel top = new JPanel(new BorderLayout(8, 0));
        top.setBorder(BorderFactory.createEmptyBorder(10, 12, 6, 12));
        top.add(new JLabel("Find"), BorderLayout.WEST);
        top.add(query, BorderLayout.CENTER);
        top.add(go, BorderLayout.EAST);

        repos.setName("repos");
        repos.setSelectionMode(ListSelectionModel.SINGLE_SELECTION);
        repos.addListSelectionListener(e -> {
            if (!e.getValueIsAdjusting() && repos.getSelectedValue() != null) listOffers(repos.getSelectedValue());
        });
        offerTable.setName("offers");
        offerTable.setSelectionMode(ListSelectionModel.SINGLE_SELECTION);
        offerTable
                .getSelectionModel()
                .addListSelectionListener(e -> download.setEnabled(offerTable.getSelectedRow() >= 0));
        download.setName("download");
        download.setEnabled(false);
        download.addActionListener(e -> downloadSelected());
        JPanel right = new JPanel(new BorderLayout());
        right.add(new JScrollPane(offerTable), BorderLayout.CENTER);
        JPanel act = new JPanel(new FlowLayout(FlowLayout.RIGHT));
        act.add(download);
        right.add(act, BorderLayout.SOUTH);
        JSplitPane split = new JSplitPane(JSplitPane.HORIZONTAL_SPLIT, new JScrollPane(repos), right);
        split.setResizeWeight(0.55);
        split.setBorder(BorderFactory.createEmptyBorder(0, 12, 0, 12));

        list.setName("downloads");
        list.setLayout(new BoxLayout(list, BoxLayout.Y_AXIS));
        JScrollPane below = new JScrollPane(list);
        below.setBorder(BorderFactory.createTitledBorder("Downloads"));
        below.setPreferredSize(new Dimension(600, 150));

        add(top, BorderLayout.NORTH);
        add(split, BorderLayout.CENTER);
        add(below, BorderLayout.SOUTH);

        downloads.addListener(listener); // first: a change while the rows below are made is not lost
        for (Downloads.Snapshot s : downloads.all()) show(s);
    }

    /** Stops following the downloads (they go on). */
    void close() {
        downloads.removeListener(listener);
        workers.shutdownNow();
    }

    private void search() {
        String q = query.getText().trim();
        if (q.isEmpty()) return;
        repoIds.clear();
        showOffers(List.of(), OptionalLong.empty(), OptionalLong.empty());
        if (q.startsWith("o:")) { // Ollama's library has no search here: the name is the offer
            String tag = q.lastIndexOf(':') > 1 ? q.substring(q.lastIndexOf(':') + 1) : "latest";
            showOffers(List.of(new Puller.Offer(q, tag, -1, 1)), OptionalLong.empty(), OptionalLong.empty());
            offerTable.setRowSelectionInterval(0, 0);
            return;
        }
        if (q.startsWith("h:")) {
            String repo = q.substring(2).replaceAll(":.*", "");
            repoIds.addElement(repo);
            repos.setSelectedIndex(0);
            return;
        }
        say.accept("Searching the hub for " + q + "…", false);
        workers.execute(() -> {
            try {
                List<HubClient.Repo> found = library.search(q);
                SwingUtilities.invokeLater(() -> {
                    if (!q.equals(query.getText().trim())) return; // a newer search is under way
                    for (HubClient.Repo r : found) repoIds.addElement(r.id());
                    say.accept(
                            found.isEmpty() ? "Nothing on the hub matches " + q : found.size() + " repositories",
                            false);
                });
            } catch (PaddockException e) {
                SwingUtilities.invokeLater(() -> say.accept(e.getMessage(), true));
            }
        });
    }

    private void listOffers(String repoId) {
        showOffers(List.of(), OptionalLong.empty(), OptionalLong.empty());
        say.accept("Listing " + repoId + "…", false);
        workers.execute(() -> {
            try {
                List<Puller.Offer> found = library.offers(repoId);
                OptionalLong ram = library.freeRam(); // nvidia-smi may take seconds: never on the event thread
                OptionalLong vram = library.freeVram();
                SwingUtilities.invokeLater(() -> {
                    if (!repoId.equals(repos.getSelectedValue())) return;
                    showOffers(found, ram, vram);
                    say.accept(found.isEmpty() ? repoId + " has no GGUF quantizations" : repoId, false);
                });
            } catch (PaddockException e) {
                SwingUtilities.invokeLater(() -> say.accept(e.getMessage(), true));
            }
        });
    }

    private void showOffers(List<Puller.Offer> found, OptionalLong ram, OptionalLong vram) {
        offers = found;
        offerRows.setRowCount(0);
        for (Puller.Offer o : found) {
            String fit = o.size() < 0
                    ? "?"
                    : MemoryFit.mark(new MemoryFit.Estimate(o.size(), 0, 0), ram, vram)
                                    .label() + " (weights)";
            offerRows.addRow(
                    new Object[] {o.quant(), o.size() < 0 ? "?" : ModelsWindow.human(o.size()), o.parts(), fit});
        }
        download.setEnabled(false);
    }

    private void downloadSelected() {
        int i = offerTable.getSelectedRow();
        if (i < 0) return;
        Puller.Offer o = offers.get(offerTable.convertRowIndexToModel(i));
        downloads.start(o.identifier(), o.size());
        say.accept("Downloading " + o.identifier(), false);
    }

    /** Shows one download's state, adding its row the first time. Event thread. */
    private void show(Downloads.Snapshot s) {
        Row r = rows.computeIfAbsent(s.identifier(), id -> {
            Row fresh = new Row(id);
            list.add(fresh.panel);
            list.revalidate();
            return fresh;
        });
        r.update(s);
        if (s.state() == Downloads.State.DONE && !r.announced) {
            r.announced = true;
            downloaded.accept("Downloaded " + s.identifier() + ": it is on the other tab now");
        }
    }

    /** One download's line: its name, a bar, what it has done, Pause/Resume and Cancel. */
    private final class Row {
        final JPanel panel = new JPanel(new BorderLayout(8, 2));
        final JProgressBar bar = new JProgressBar(0, 1000);
        final JLabel line = new JLabel(" ");
        final JButton pause = new JButton("Pause");
        final JButton cancel = new JButton("Cancel");
        boolean announced;
        Downloads.State state;

        Row(String id) {
            JLabel name = new JLabel(id);
            name.setFont(name.getFont().deriveFont(Font.BOLD));
            bar.setName("progress:" + id);
            bar.setStringPainted(true);
            line.setName("line:" + id);
            pause.setName("pause:" + id);
            cancel.setName("cancel:" + id);
            pause.addActionListener(e -> {
                if (state == Downloads.State.RUNNING) downloads.pause(id);
                else downloads.start(id, -1);
            });
            cancel.addActionListener(e -> downloads.cancel(id));
            JPanel text = new JPanel(new BorderLayout());
            text.add(name, BorderLayout.NORTH);
            text.add(line, BorderLayout.SOUTH);
            JPanel buttons = new JPanel(new FlowLayout(FlowLayout.RIGHT, 4, 0));
            buttons.add(pause);
            buttons.add(cancel);
            panel.setBorder(BorderFactory.createEmptyBorder(4, 6, 4, 6));
            panel.add(text, BorderLayout.WEST);
            panel.add(bar, BorderLayout.CENTER);
            panel.add(buttons, BorderLayout.EAST);
            panel.setMaximumSize(new Dimension(Integer.MAX_VALUE, 56));
        }

        void update(Downloads.Snapshot s) {
            state = s.state();
            double f = s.fraction();
            bar.setIndeterminate(f < 0 && s.state() == Downloads.State.RUNNING);
            bar.setValue(f < 0 ? 0 : (int) (f * 1000));
            bar.setString(f < 0 ? "" : String.format(Locale.ROOT, "%.0f%%", Math.floor(f * 100)));
            line.setText(s.line());
            boolean live = s.state() == Downloads.State.RUNNING || s.state() == Downloads.State.PAUSED;
            pause.setText(s.state() == Downloads.State.RUNNING ? "Pause" : "Resume");
            pause.setEnabled(live || s.state() == Downloads.State.FAILED);
            cancel.setEnabled(live || s.state() == Downloads.State.FAILED); // a failed one's partial can go too
        }
    }
}
