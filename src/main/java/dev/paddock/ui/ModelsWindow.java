package dev.paddock.ui;

import dev.paddock.core.PaddockException;
import dev.paddock.hub.Downloads;
import dev.paddock.hub.HubClient;
import dev.paddock.hub.Puller;
import dev.paddock.model.GgufException;
import dev.paddock.model.GgufInfo;
import dev.paddock.model.LocalModel;
import dev.paddock.model.MemoryFit;
import java.awt.BorderLayout;
import java.awt.Color;
import java.awt.Dimension;
import java.awt.FlowLayout;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.swing.BorderFactory;
import javax.swing.JButton;
import javax.swing.JFrame;
import javax.swing.JLabel;
import javax.swing.JOptionPane;
import javax.swing.JPanel;
import javax.swing.JScrollPane;
import javax.swing.JSplitPane;
import javax.swing.JTable;
import javax.swing.JTextArea;
import javax.swing.JTextField;
import javax.swing.ListSelectionModel;
import javax.swing.RowFilter;
import javax.swing.SwingUtilities;
import javax.swing.table.AbstractTableModel;
import javax.swing.table.TableRowSorter;

/**
 * Models…: one table of every model Paddock can run (downloaded, in {@code model-dirs}, or kept by another tool),
 * what each header says, and whether it fits in the memory free now. Rows appear as soon as the models are listed;
 * their headers are read on a worker thread and filled in as they arrive, so the window never waits on a disk.
 * Load goes through the same switchboard as every other surface.
 */
public final class ModelsWindow extends JFrame {
    private static final long serialVersionUID = 1L;

    /** What the window lists and does: the running Paddock's switchboard, or a test's own. */
    public interface Library {
        /** Every model on this machine. Called off the event thread. */
        List<LocalModel> models();

        /** The model's header. Called off the event thread. */
        GgufInfo header(Path file) throws GgufException;

        /** Loads the model and returns once it runs. Called off the event thread. */
        void load(LocalModel model) throws PaddockException;

        /** Deletes a model Paddock downloaded. Called off the event thread. */
        void remove(LocalModel model) throws PaddockException;

        /** Opens the preset editor with this model chosen. Called on the event thread. */
        void newPreset(LocalModel model);

        /** Opens the folder that holds the file in the desktop's file manager. */
        void showInFolder(Path file);

        /** Free RAM now, for the fit mark. */
        default OptionalLong freeRam() {
            return MemoryFit.availableRam();
        }

        /** Free GPU memory now, for the fit mark. */
        default OptionalLong freeVram() {
            return OptionalLong.empty();
        }

        /** The running Paddock's downloads; null where nothing can be downloaded (no Get models tab then). */
        default Downloads downloads() {
            return null;
        }

        /** GGUF repositories on the hub matching {@code query}, most downloaded first. Off the event thread. */
        default List<HubClient.Repo> search(String query) throws PaddockException {
            return List.of();
        }

        /** The quantizations a hub repository offers. Off the event thread. */
        default List<Puller.Offer> offers(String repoId) throws PaddockException {
            return List.of();
        }
    }

    /** The warm-up's rows: enough for the table's painting to be compiled, few enough to read at once. */
    public static final int PREWARM_ROWS = 40;

    static final String[] COLUMNS = {"Name", "Source", "Architecture", "Parameters", "Quant", "Size", "Context", "Fit"};

    private final transient Library library;
    private final transient ExecutorService workers = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "paddock-models-window");
        t.setDaemon(true);
        return t;
    });
    /** Loads, apart: a load waits until the model runs, and listing or removing must not wait behind it. */
    private final transient ExecutorService loads = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "paddock-models-window-load");
        t.setDaemon(true);
        return t;
    });

    private final AtomicInteger generation = new AtomicInteger(); // a rescan makes older header reads moot
    private final int limit; // at most this many models are listed (the warm-up's few)
    private boolean listed; // the models have been listed once; event thread
    private final Rows rows = new Rows();
    private volatile long firstRowsPainted; // System.nanoTime() of the table's first paint with rows; 0 before
    private final JTable table = new JTable(rows) {
        private static final long serialVersionUID = 1L;

        @Override
        protected void paintComponent(java.awt.Graphics g) {
            super.paintComponent(g);
            if (firstRowsPainted == 0 && getRowCount() > 0) firstRowsPainted = System.nanoTime();
        }
    };
    private final TableRowSorter<Rows> sorter = new TableRowSorter<>(rows);
    private final JTextField filter = new JTextField(24);
    private final JTextArea details = new JTextArea(8, 40);
    private final JLabel status = new JLabel(" ");
    private final JButton load = new JButton("Load");
    private final JButton newPreset = new JButton("New preset…");
    private final JButton showInFolder = new JButton("Show in folder");
    private final JButton remove = new JButton("Remove…");
    private final JButton rescan = new JButton("Rescan");
    private final GetModelsPanel getModels; // null without a hub to download from
    private final List<Row> pending = new ArrayList<>(); // headers read, not yet shown; guarded by itself
    private boolean flushQueued; // guarded by pending
    private long lastFlush; // System.nanoTime() of the last flush queued; guarded by pending
    private static final long FLUSH_EVERY_NANOS = 100_000_000L;

    public ModelsWindow(Library library) {
        this(library, Integer.MAX_VALUE);
    }

    private ModelsWindow(Library library, int limit) {
        super("Paddock — Models");
        setName("models-window");
        this.library = library;
        this.limit = limit;
        setDefaultCloseOperation(DISPOSE_ON_CLOSE);

        table.setName("models");
        table.setRowSorter(sorter);
        table.setSelectionMode(ListSelectionModel.SINGLE_SELECTION);
        table.setFillsViewportHeight(true);
        table.getSelectionModel().addListSelectionListener(e -> {
            if (!e.getValueIsAdjusting()) selectionChanged();
        });
        int[] widths = {430, 120, 90, 80, 80, 75, 70, 90};
        for (int i = 0; i < widths.length; i++)
            table.getColumnModel().getColumn(i).setPreferredWidth(widths[i]);
        table.getColumnModel().getColumn(7).setCellRenderer(new FitRenderer());

        filter.setName("filter");
        filter.putClientProperty("JTextField.placeholderText", "Filter: name, source, architecture, quant");
        Forms.onEdit(filter, this::applyFilter);
        JPanel top = new JPanel(new BorderLayout(8, 0));
        top.setBorder(BorderFactory.createEmptyBorder(10, 12, 6, 12));
        top.add(new JLabel("Filter"), BorderLayout.WEST);
        top.add(filter, BorderLayout.CENTER);
        rescan.setName("rescan");
        rescan.addActionListener(e -> rescan());
        top.add(rescan, BorderLayout.EAST);

        details.setName("details");
        details.setEditable(false);
        details.setFont(new Font(Font.MONOSPACED, Font.PLAIN, details.getFont().getSize()));
        details.setBorder(BorderFactory.createEmptyBorder(6, 8, 6, 8));
        JSplitPane split = new JSplitPane(JSplitPane.VERTICAL_SPLIT, new JScrollPane(table), new JScrollPane(details));
        split.setResizeWeight(0.7);
        split.setBorder(BorderFactory.createEmptyBorder(0, 12, 0, 12));

        load.setName("load");
        load.addActionListener(e -> loadSelected());
        newPreset.setName("new-preset");
        newPreset.addActionListener(e -> selected().ifPresent(r -> library.newPreset(r.model)));
        showInFolder.setName("show-in-folder");
        showInFolder.addActionListener(
                e -> selected().ifPresent(r -> workers.execute(() -> library.showInFolder(r.model.file()))));
        remove.setName("remove");
        remove.addActionListener(e -> removeSelected());
        JPanel buttons = new JPanel(new FlowLayout(FlowLayout.RIGHT));
        buttons.add(remove);
        buttons.add(showInFolder);
        buttons.add(newPreset);
        buttons.add(load);
        status.setName("status");
        JPanel bottom = new JPanel(new BorderLayout());
        bottom.setBorder(BorderFactory.createEmptyBorder(4, 14, 8, 8));
        bottom.add(status, BorderLayout.CENTER);

        JPanel local = new JPanel(new BorderLayout());
        local.add(top, BorderLayout.NORTH);
        local.add(split, BorderLayout.CENTER);
        local.add(buttons, BorderLayout.SOUTH);
        if (library.downloads() != null) {
            getModels = new GetModelsPanel(library, this::say, this::rescan);
            javax.swing.JTabbedPane tabs = new javax.swing.JTabbedPane();
            tabs.setName("tabs");
            tabs.addTab("On this machine", local);
            tabs.addTab("Get models", getModels);
            getContentPane().add(tabs, BorderLayout.CENTER);
        } else {
            getModels = null;
            getContentPane().add(local, BorderLayout.CENTER);
        }
        getContentPane().add(bottom, BorderLayout.SOUTH);
        setPreferredSize(new Dimension(1120, 640));
        pack();
        selectionChanged();
        rescan();
    }

    /**
     * Opens a window once where nobody sees it, so that a person's first open does not pay for loading and first
     * running the window's code (more than half of that open in a fresh JVM, {@code scripts/bench.sh models-window}):
     * built with at most {@code limit} of the library's models, their headers read, painted twice into an image of
     * the screen's kind (the path on-screen painting takes), then disposed. Never shown. Event thread; returns at
     * once, the work goes on in later events (none long: the longest is the first build); {@code done} runs on the
     * event thread at its end.
     */
    public static void prewarm(Library library, int limit, Runnable done) {
        ModelsWindow w = new ModelsWindow(library, limit);
        long giveUp = System.nanoTime() + 10_000_000_000L; // a listing or a header that hangs does not hold it open
        javax.swing.Timer poll = new javax.swing.Timer(20, null);
        poll.addActionListener(e -> {
            if (!(w.listed && w.headersPending() == 0) && System.nanoTime() < giveUp) return;
            poll.stop();
            w.paintOffscreen();
            SwingUtilities.invokeLater(() -> {
                w.paintOffscreen();
                w.dispose();
                done.run();
            });
        });
        poll.start();
    }

    /** Paints the laid-out window into a volatile image of its screen (as the repaint manager's back buffer is). */
    private void paintOffscreen() {
        java.awt.Container c = getContentPane();
        java.awt.image.VolatileImage image = getGraphicsConfiguration()
                .createCompatibleVolatileImage(Math.max(1, c.getWidth()), Math.max(1, c.getHeight()));
        java.awt.Graphics2D g = image.createGraphics();
        try {
            c.paint(g);
        } finally {
            g.dispose();
            image.flush();
        }
    }

    /** When the table first painted rows ({@link System#nanoTime()}), or 0: for the benchmark of the first paint. */
    public long firstRowsPaintedNanos() {
        return firstRowsPainted;
    }

    /** How many models are listed. Event thread. */
    public int modelCount() {
        return rows.getRowCount();
    }

    /** How many rows still wait for their header. Event thread. */
    public int headersPending() {
        int n = 0;
        for (int i = 0; i < rows.getRowCount(); i++) if (rows.get(i).shown == null) n++;
        return n;
    }

    @Override
    public void dispose() {
        if (getModels != null) getModels.close();
        workers.shutdownNow();
        loads.shutdown(); // a load under way goes on: it is the switchboard's now
        super.dispose();
    }

    /** Lists the models again (off the event thread) and reads their headers. */
    public void rescan() {
        rescan(null);
    }

    /** Lists the models again; the status line keeps {@code note} (what made it list them), then the count. */
    void rescan(String note) {
        int gen = generation.incrementAndGet();
        say(note == null ? "Looking for models…" : note, false);
        workers.execute(() -> {
            List<LocalModel> found;
            try {
                found = library.models();
            } catch (RuntimeException e) {
                SwingUtilities.invokeLater(() -> say("cannot list the models: " + e.getMessage(), true));
                return;
            }
            if (found.size() > limit) found = found.subList(0, limit);
            List<Row> fresh = new ArrayList<>(found.size());
            for (LocalModel m : found) fresh.add(new Row(m, sizeOf(m.file())));
            SwingUtilities.invokeLater(() -> {
                if (gen != generation.get()) return;
                rows.set(fresh);
                listed = true;
                say(note == null ? countLine() : note + " · " + countLine(), false);
                selectionChanged();
            });
            readHeaders(fresh, gen);
        });
    }

    /** Reads each row's header in order, handing them to the event thread in batches. Worker thread. */
    private void readHeaders(List<Row> list, int gen) {
        OptionalLong ram = library.freeRam();
        OptionalLong vram = library.freeVram();
        for (int n = 0; n < list.size(); n++) {
            Row r = list.get(n);
            if (gen != generation.get() || Thread.currentThread().isInterrupted()) return;
            Header h;
            try {
                GgufInfo info = library.header(r.model.file());
                MemoryFit.Estimate e = MemoryFit.estimate(r.model.file(), info, null);
                h = new Header(info, e, MemoryFit.mark(e, ram, vram), null);
            } catch (GgufException | IOException | RuntimeException e) {
                h = new Header(null, null, MemoryFit.Mark.UNKNOWN, e.getMessage());
            }
            r.read = h;
            synchronized (pending) {
                pending.add(r);
                long now = System.nanoTime();
                // a repaint at most every 100 ms while headers pour in: each costs the event thread a frame
                if (!flushQueued && (n == list.size() - 1 || now - lastFlush >= FLUSH_EVERY_NANOS)) {
                    flushQueued = true;
                    lastFlush = now;
                    SwingUtilities.invokeLater(this::flush);
                }
            }
        }
    }

    /** Shows the headers read since the last flush. Event thread. */
    private void flush() {
        List<Row> batch;
        synchronized (pending) {
            batch = new ArrayList<>(pending);
            pending.clear();
            flushQueued = false;
        }
        // no generation check: rows of an older listing are not in the table (indexOf skips them), and the batch
        // may hold rows of the newest one
        int lo = Integer.MAX_VALUE;
        int hi = -1;
        for (Row r : batch) {
            r.shown = r.read;
            int i = rows.indexOf(r);
            if (i < 0) continue;
            lo = Math.min(lo, i);
            hi = Math.max(hi, i);
        }
        // re-sort and re-filter only when the person sorted or filtered: else only the updated rows repaint
        sorter.setSortsOnUpdates(!sorter.getSortKeys().isEmpty() || sorter.getRowFilter() != null);
        if (hi >= 0) rows.fireTableRowsUpdated(lo, hi);
        selected().ifPresent(r -> {
            if (batch.contains(r)) showDetails(r);
        });
    }

    private void applyFilter() {
        String[] words = filter.getText().trim().toLowerCase(Locale.ROOT).split("\\s+");
        sorter.setRowFilter(new RowFilter<>() {
            @Override
            public boolean include(Entry<? extends Rows, ? extends Integer> e) {
                String hay = rows.get(e.getIdentifier()).searchText();
                for (String w : words) if (!w.isEmpty() && !hay.contains(w)) return false;
                return true;
            }
        });
        say(countLine(), false);
    }

    private String countLine() {
        int all = rows.getRowCount();
        int shown = table.getRowCount();
        String models = all == 1 ? " model" : " models";
        return shown == all ? all + models : shown + " of " + all + models;
    }

    private java.util.Optional<Row> selected() {
        int v = table.getSelectedRow();
        return v < 0 ? java.util.Optional.empty() : java.util.Optional.of(rows.get(table.convertRowIndexToModel(v)));
    }

    private void selectionChanged() {
        var r = selected();
        load.setEnabled(r.isPresent() && r.get().model.problem() == null);
        newPreset.setEnabled(r.isPresent() && r.get().model.problem() == null);
        showInFolder.setEnabled(r.isPresent());
        remove.setEnabled(r.isPresent() && r.get().model.isDownloaded());
        remove.setToolTipText(
                r.isPresent() && !r.get().model.isDownloaded()
                        ? "only what Paddock downloaded; "
                                + (r.get().model.source().owner() == null
                                        ? "this is one of your own files"
                                        : "this belongs to "
                                                + r.get().model.source().owner())
                        : null);
        if (r.isPresent()) showDetails(r.get());
        else details.setText("");
    }

    private void showDetails(Row r) {
        details.setText(r.describe(library));
        details.setCaretPosition(0);
    }

    private void loadSelected() {
        selected().ifPresent(r -> {
            String name = r.model.displayName();
            say("Loading " + name + "…", false);
            load.setEnabled(false);
            loads.execute(() -> {
                String done;
                boolean error = false;
                try {
                    library.load(r.model);
                    done = name + " is running";
                } catch (PaddockException e) {
                    done = "Cannot load " + name + ": " + e.getMessage();
                    error = true;
                }
                String line = done;
                boolean bad = error;
                SwingUtilities.invokeLater(() -> {
                    say(line, bad);
                    selectionChanged();
                });
            });
        });
    }

    private void removeSelected() {
        selected().ifPresent(r -> {
            int answer = JOptionPane.showConfirmDialog(
                    this,
                    "Delete " + r.model.displayName() + " (" + human(r.size) + ")?\n" + r.model.file(),
                    "Remove model",
                    JOptionPane.OK_CANCEL_OPTION,
                    JOptionPane.WARNING_MESSAGE);
            if (answer != JOptionPane.OK_OPTION) return;
            workers.execute(() -> {
                try {
                    library.remove(r.model);
                    SwingUtilities.invokeLater(() -> {
                        say("Removed " + r.model.displayName(), false);
                        rescan();
                    });
                } catch (PaddockException e) {
                    SwingUtilities.invokeLater(() -> say(e.getMessage(), true));
                }
            });
        });
    }

    void say(String text, boolean error) {
        status.setText(text);
        status.setForeground(error ? new Color(0xD0, 0x30, 0x30) : javax.swing.UIManager.getColor("Label.foreground"));
    }

    private static long sizeOf(Path file) {
        try {
            long total = 0;
            for (Path p : dev.paddock.model.ModelStore.parts(file)) total += Files.size(p);
            return total;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    static String human(long bytes) {
        if (bytes < 0) return "?";
        if (bytes >= 1L << 30) return String.format(Locale.ROOT, "%.1f GB", bytes / (double) (1L << 30));
        if (bytes >= 1L << 20) return String.format(Locale.ROOT, "%.0f MB", bytes / (double) (1L << 20));
        return String.format(Locale.ROOT, "%.0f KB", bytes / 1024.0);
    }

    /** The fit mark in the colour of its meaning: green fits, amber tight, red will not fit. */
    static final class FitRenderer extends javax.swing.table.DefaultTableCellRenderer {
        private static final long serialVersionUID = 1L;
        static final Color FITS = new Color(0x2E, 0x9E, 0x4F);
        static final Color TIGHT = new Color(0xC9, 0x8A, 0x00);
        static final Color WILL_NOT_FIT = new Color(0xD0, 0x45, 0x3A);

        @Override
        public java.awt.Component getTableCellRendererComponent(
                JTable t, Object value, boolean selected, boolean focus, int row, int column) {
            super.getTableCellRendererComponent(t, value, selected, focus, row, column);
            String text = String.valueOf(value);
            Color c = text.equals(MemoryFit.Mark.FITS.label())
                    ? FITS
                    : text.equals(MemoryFit.Mark.TIGHT.label())
                            ? TIGHT
                            : text.equals(MemoryFit.Mark.WILL_NOT_FIT.label()) ? WILL_NOT_FIT : null;
            if (!selected) setForeground(c != null ? c : t.getForeground());
            return this;
        }
    }

    /** A sortable cell: shown as {@code text}, ordered by {@code order} (unknown values last). */
    record Cell(String text, long order) implements Comparable<Cell> {
        static final Cell UNKNOWN = new Cell("…", Long.MAX_VALUE);

        @Override
        public int compareTo(Cell o) {
            return Long.compare(order, o.order);
        }

        @Override
        public String toString() {
            return text;
        }
    }

    /** What a header read gave: the header and the estimate, or why it could not be read. */
    private record Header(GgufInfo info, MemoryFit.Estimate estimate, MemoryFit.Mark mark, String problem) {}

    /** One model. {@code shown} is touched on the event thread only. */
    private static final class Row {
        final LocalModel model;
        final long size;
        volatile Header read;
        Header shown;

        Row(LocalModel model, long size) {
            this.model = model;
            this.size = size;
        }

        String searchText() {
            GgufInfo i = shown == null ? null : shown.info();
            return (model.displayName() + " " + model.source().wireName() + " "
                            + (i == null || i.architecture() == null ? "" : i.architecture()) + " "
                            + quant())
                    .toLowerCase(Locale.ROOT);
        }

        String quant() {
            if (model.quant() != null) return model.quant();
            GgufInfo i = shown == null ? null : shown.info();
            return i == null || i.fileType() == null ? "" : i.fileType();
        }

        Object cell(int column) {
            GgufInfo i = shown == null ? null : shown.info();
            boolean unread = shown == null;
            return switch (column) {
                case 0 -> model.displayName();
                case 1 -> model.source().wireName();
                case 2 -> unread ? "…" : i == null || i.architecture() == null ? "?" : i.architecture();
                case 3 -> unread
                        ? Cell.UNKNOWN
                        : i == null || i.parameters() < 0
                                ? new Cell("?", Long.MAX_VALUE)
                                : new Cell(GgufInfo.count(i.parameters()), i.parameters());
                case 4 -> quant();
                case 5 -> new Cell(human(size), size < 0 ? Long.MAX_VALUE : size);
                case 6 -> unread
                        ? Cell.UNKNOWN
                        : i == null || i.contextLength() == null
                                ? new Cell("?", Long.MAX_VALUE)
                                : new Cell(Long.toString(i.contextLength()), i.contextLength());
                case 7 -> model.problem() != null
                        ? new Cell("cannot run", 10)
                        : unread
                                ? Cell.UNKNOWN
                                : new Cell(shown.mark().label(), shown.mark().ordinal());
                default -> "";
            };
        }

        String describe(Library library) {
            StringBuilder b = new StringBuilder();
            b.append(model.displayName()).append('\n');
            b.append("file          ").append(model.file()).append('\n');
            b.append("source        ").append(model.source().wireName());
            if (model.source().owner() != null)
                b.append(" — ").append(model.source().owner());
            b.append('\n');
            b.append("size          ").append(human(size)).append('\n');
            if (model.projector() != null)
                b.append("projector     ").append(model.projector()).append('\n');
            if (model.problem() != null)
                b.append("cannot run    ").append(model.problem()).append('\n');
            Header h = shown;
            if (h == null) return b.append("header        reading…").toString();
            if (h.info() == null)
                return b.append("header        unreadable: ")
                        .append(h.problem())
                        .toString();
            GgufInfo i = h.info();
            line(b, "architecture", i.architecture());
            line(b, "name", i.name());
            line(b, "parameters", i.parameters() < 0 ? null : GgufInfo.count(i.parameters()));
            line(b, "file type", i.fileType());
            line(b, "trained ctx", i.contextLength());
            line(b, "embedding", i.embeddingLength());
            line(b, "layers", i.blockCount());
            line(b, "heads", i.headCount() == null ? null : i.headCount() + " (KV " + i.headCountKv() + ")");
            line(b, "tokenizer", i.tokenizer());
            line(b, "chat template", i.chatTemplate() ? "yes" : "no");
            line(b, "tensors", i.tensorCount());
            if (i.splitCount() > 1) line(b, "split", i.splitCount() + " files");
            line(b, "GGUF version", i.version());
            MemoryFit.Estimate e = h.estimate();
            if (e != null) {
                b.append(String.format(
                        Locale.ROOT,
                        "memory        about %.2f GB at its trained context (weights %.2f GB + KV cache %.2f GB for"
                                + " %d tokens): %s",
                        e.total() / 1e9,
                        e.weights() / 1e9,
                        Math.max(0, e.kvCache()) / 1e9,
                        e.context(),
                        h.mark().label()));
                OptionalLong ram = library.freeRam();
                if (ram.isPresent())
                    b.append(String.format(Locale.ROOT, " (%.1f GB of RAM free)", ram.getAsLong() / 1e9));
                b.append('\n');
            }
            return b.toString().stripTrailing();
        }

        private static void line(StringBuilder b, String key, Object value) {
            if (value == null) return;
            b.append(String.format(Locale.ROOT, "%-14s", key)).append(value).append('\n');
        }
    }

    /** The rows, in the order the library listed them. Event thread. */
    static final class Rows extends AbstractTableModel {
        private static final long serialVersionUID = 1L;
        private transient List<Row> list = List.of();
        private transient java.util.Map<Row, Integer> index = java.util.Map.of();

        void set(List<Row> fresh) {
            list = List.copyOf(fresh);
            java.util.Map<Row, Integer> ix = new java.util.IdentityHashMap<>();
            for (int i = 0; i < list.size(); i++) ix.put(list.get(i), i);
            index = ix;
            fireTableDataChanged();
        }

        Row get(int i) {
            return list.get(i);
        }

        int indexOf(Row r) {
            Integer i = index.get(r);
            return i == null ? -1 : i;
        }

        @Override
        public int getRowCount() {
            return list.size();
        }

        @Override
        public int getColumnCount() {
            return COLUMNS.length;
        }

        @Override
        public String getColumnName(int column) {
            return COLUMNS[column];
        }

        @Override
        public Class<?> getColumnClass(int column) {
            return column == 3 || column == 5 || column == 6 || column == 7 ? Cell.class : String.class;
        }

        @Override
        public Object getValueAt(int row, int column) {
            return list.get(row).cell(column);
        }
    }
}
