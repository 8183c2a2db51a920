package dev.paddock.ui;

import dev.paddock.core.LogFollower;
import java.awt.BorderLayout;
import java.awt.Dimension;
import java.awt.FlowLayout;
import java.awt.Font;
import java.awt.Toolkit;
import java.awt.datatransfer.StringSelection;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;
import javax.swing.BorderFactory;
import javax.swing.JButton;
import javax.swing.JCheckBox;
import javax.swing.JFrame;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JScrollPane;
import javax.swing.JTextArea;
import javax.swing.JTextField;
import javax.swing.Timer;
import javax.swing.text.BadLocationException;

/**
 * Show log: {@code llama.log} live, across rotations (the same follower as {@code paddock logs -f}), with a search
 * field and "Copy last error". The file is read on its own thread; the event thread only appends what arrived, ten
 * times a second, and keeps the last {@value #MAX_LINES} lines.
 */
public final class LogWindow extends JFrame {
    private static final long serialVersionUID = 1L;
    static final int MAX_LINES = 20_000;
    private static final int FIRST_LINES = 2_000;
    private static final int BURST = 512 * 1024;

    /** A line that reports a failure: what "Copy last error" looks for. */
    static final Pattern ERROR_LINE =
            Pattern.compile("(?i)\\b(error|failed|failure|fatal|exception|abort(ed)?|cannot|unable)\\b");

    private final JTextArea text = new JTextArea();
    private final JTextField search = new JTextField(24);
    private final JLabel found = new JLabel(" ");
    private final JCheckBox follow = new JCheckBox("Follow", true);
    private final transient Sink sink = new Sink();
    private final transient Thread reader;
    private final Timer drain;

    public LogWindow(Path log) {
        super("Paddock — " + log.getFileName());
        setName("log-window");
        setDefaultCloseOperation(DISPOSE_ON_CLOSE);
        text.setName("log");
        text.setEditable(false);
        text.setFont(new Font(Font.MONOSPACED, Font.PLAIN, text.getFont().getSize()));

        search.setName("search");
        search.putClientProperty("JTextField.placeholderText", "Search (Enter: next)");
        search.addActionListener(e -> findNext());
        JButton next = new JButton("Find next");
        next.setName("find-next");
        next.addActionListener(e -> findNext());
        found.setName("found");
        JButton copy = new JButton("Copy last error");
        copy.setName("copy-last-error");
        copy.addActionListener(e -> copyLastError());
        follow.setName("follow");
        JPanel top = new JPanel(new FlowLayout(FlowLayout.LEFT, 8, 6));
        top.add(new JLabel("Search"));
        top.add(search);
        top.add(next);
        top.add(found);
        JPanel right = new JPanel(new FlowLayout(FlowLayout.RIGHT, 8, 6));
        right.add(follow);
        right.add(copy);
        JPanel bar = new JPanel(new BorderLayout());
        bar.setBorder(BorderFactory.createEmptyBorder(4, 6, 0, 6));
        bar.add(top, BorderLayout.CENTER);
        bar.add(right, BorderLayout.EAST);
        getContentPane().add(bar, BorderLayout.NORTH);
        JScrollPane scroll = new JScrollPane(text);
        scroll.setBorder(BorderFactory.createEmptyBorder(4, 8, 8, 8));
        getContentPane().add(scroll, BorderLayout.CENTER);
        setPreferredSize(new Dimension(960, 560));
        pack();

        drain = new Timer(100, e -> appendArrived());
        drain.start();
        reader = new Thread(() -> read(log), "paddock-log-window");
        reader.setDaemon(true);
        reader.start();
    }

    @Override
    public void dispose() {
        reader.interrupt();
        drain.stop();
        super.dispose();
    }

    /** The log's last lines, then every line written from now on. Reader thread. */
    private void read(Path log) {
        LogFollower f = new LogFollower(log, sink);
        try {
            long offset;
            try {
                offset = f.tail(FIRST_LINES);
            } catch (NoSuchFileException e) {
                offset = 0; // nothing loaded yet: the follower waits for the file
            }
            f.follow(offset);
        } catch (InterruptedException e) {
            // the window closed
        } catch (IOException e) {
            sink.note("\n[Paddock: cannot read " + log + ": " + e.getMessage() + "]\n");
        }
    }

    /** Appends what the reader has written since the last call, and trims the oldest lines. Event thread. */
    private void appendArrived() {
        String arrived = sink.take();
        if (arrived.isEmpty()) return;
        if (arrived.length() > BURST) { // a flood: only its end would stay anyway, and appending it all stalls
            int cut = arrived.indexOf('\n', arrived.length() - BURST);
            arrived = "[… " + (cut + 1) / 1024 + " KB skipped: the log grew faster than it can be shown]\n"
                    + arrived.substring(cut + 1);
        }
        text.append(arrived);
        int extra = text.getLineCount() - MAX_LINES;
        if (extra > 0) {
            try {
                text.getDocument().remove(0, text.getLineStartOffset(extra));
            } catch (BadLocationException e) {
                throw new IllegalStateException(e); // the offset came from the document itself
            }
        }
        if (follow.isSelected()) text.setCaretPosition(text.getDocument().getLength());
    }

    /** Selects the next match of the search text after the caret, from the top again after the last one. */
    private void findNext() {
        String needle = search.getText().toLowerCase(Locale.ROOT);
        if (needle.isEmpty()) return;
        String hay = text.getText().toLowerCase(Locale.ROOT);
        int from = text.getSelectionEnd();
        int at = hay.indexOf(needle, from);
        if (at < 0) at = hay.indexOf(needle);
        if (at < 0) {
            found.setText("not found");
            return;
        }
        follow.setSelected(false); // a person reading a match does not want it scrolled away
        text.requestFocusInWindow();
        text.select(at, at + needle.length());
        int count = 0;
        int index = 0;
        for (int i = hay.indexOf(needle); i >= 0; i = hay.indexOf(needle, i + needle.length())) {
            count++;
            if (i == at) index = count;
        }
        found.setText(index + " of " + count);
    }

    /** Copies the last line that reports a failure to the clipboard and says which. */
    private void copyLastError() {
        String last = lastError(text.getText());
        if (last == null) {
            found.setText("no error in the log shown");
            return;
        }
        Toolkit.getDefaultToolkit().getSystemClipboard().setContents(new StringSelection(last), null);
        found.setText("copied: " + (last.length() > 60 ? last.substring(0, 59) + "…" : last));
    }

    /** The last line of {@code log} that reports a failure, or null. */
    static String lastError(String log) {
        String[] lines = log.split("\n");
        for (int i = lines.length - 1; i >= 0; i--) {
            if (ERROR_LINE.matcher(lines[i]).find()) return lines[i].strip();
        }
        return null;
    }

    /** What the follower writes, decoded as UTF-8 across writes that split a character. */
    private static final class Sink extends OutputStream {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final CharsetDecoder decoder = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        private final StringBuilder notes = new StringBuilder();

        @Override
        public synchronized void write(int b) {
            bytes.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            bytes.write(b, off, len);
        }

        synchronized void note(String s) {
            notes.append(s);
        }

        /** The text written so far, leaving a character's first bytes for the next call. */
        synchronized String take() {
            StringBuilder out = new StringBuilder();
            if (bytes.size() > 0) {
                ByteBuffer in = ByteBuffer.wrap(bytes.toByteArray());
                CharBuffer chars = CharBuffer.allocate(in.remaining() + 1);
                decoder.decode(in, chars, false);
                chars.flip();
                out.append(chars);
                byte[] rest = new byte[in.remaining()];
                in.get(rest);
                bytes.reset();
                bytes.write(rest, 0, rest.length);
            }
            out.append(notes);
            notes.setLength(0);
            return out.toString();
        }
    }
}
