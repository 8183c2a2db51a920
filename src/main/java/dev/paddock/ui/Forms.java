package dev.paddock.ui;

import java.awt.GridBagConstraints;
import java.awt.Insets;

/** The dialogs' form layout: labels in column 0, fields stretching in column 1, buttons in column 2. */
final class Forms {
    private Forms() {}

    static GridBagConstraints at(int x, int y, int width) {
        GridBagConstraints c = new GridBagConstraints();
        c.gridx = x;
        c.gridy = y;
        c.gridwidth = width;
        c.anchor = GridBagConstraints.WEST;
        c.fill = x == 1 ? GridBagConstraints.HORIZONTAL : GridBagConstraints.NONE;
        c.weightx = x == 1 ? 1 : 0;
        c.insets = new Insets(2, 4, 2, 4);
        return c;
    }

    /** The red line under a field where its problem is explained; named {@code KEY.error}, blank when all is well. */
    static javax.swing.JLabel errorLabel(String key) {
        javax.swing.JLabel err = new javax.swing.JLabel(" ");
        err.setName(key + ".error");
        err.setForeground(new java.awt.Color(0xD0, 0x30, 0x30));
        err.setFont(err.getFont().deriveFont(java.awt.Font.PLAIN, err.getFont().getSize2D() - 1f));
        return err;
    }

    /**
     * A section's heading across the form's three columns: its title in bold over a rule, with room above unless it
     * is the first.
     */
    static int section(javax.swing.JPanel form, int row, String title) {
        javax.swing.JLabel heading = new javax.swing.JLabel(title);
        heading.setName("section." + title.toLowerCase(java.util.Locale.ROOT));
        heading.setFont(heading.getFont().deriveFont(java.awt.Font.BOLD));
        GridBagConstraints c = at(0, row, 3);
        c.insets = new Insets(row == 0 ? 0 : 14, 4, 0, 4);
        form.add(heading, c);
        GridBagConstraints rule = at(0, row + 1, 3);
        rule.fill = GridBagConstraints.HORIZONTAL;
        rule.insets = new Insets(2, 4, 4, 4);
        form.add(new javax.swing.JSeparator(), rule);
        return row + 2;
    }

    /**
     * The line under a field: its help text (named {@code KEY.help}, greyed), replaced by its problem while it has
     * one ({@code error}, from {@link #errorLabel}).
     */
    static javax.swing.JPanel note(javax.swing.JLabel error, String key, String help) {
        javax.swing.JLabel h = helpLabel(key, help);
        javax.swing.JPanel line = new javax.swing.JPanel();
        line.setLayout(new javax.swing.BoxLayout(line, javax.swing.BoxLayout.X_AXIS));
        line.setOpaque(false);
        line.add(error);
        line.add(h);
        error.addPropertyChangeListener(
                "text", e -> h.setVisible(error.getText().isBlank()));
        return line;
    }

    /** A line of help under a field, named {@code KEY.help}: greyed, a point smaller, as the error line is. */
    static javax.swing.JLabel helpLabel(String key, String text) {
        javax.swing.JLabel h = new javax.swing.JLabel(text);
        h.setName(key + ".help");
        h.setFont(h.getFont().deriveFont(java.awt.Font.PLAIN, h.getFont().getSize2D() - 1f));
        h.setForeground(javax.swing.UIManager.getColor("Label.disabledForeground"));
        return h;
    }

    /** Runs {@code r} at every change of the field's text. */
    static void onEdit(javax.swing.JTextField f, Runnable r) {
        f.getDocument().addDocumentListener(new javax.swing.event.DocumentListener() {
            @Override
            public void insertUpdate(javax.swing.event.DocumentEvent e) {
                r.run();
            }

            @Override
            public void removeUpdate(javax.swing.event.DocumentEvent e) {
                r.run();
            }

            @Override
            public void changedUpdate(javax.swing.event.DocumentEvent e) {
                r.run();
            }
        });
    }

    /** The dialog's last row: a message on the left, Cancel (closes {@code dialog}) and Save on the right. */
    static javax.swing.JPanel bottomBar(
            javax.swing.JDialog dialog, javax.swing.JLabel message, javax.swing.JButton save, Runnable onSave) {
        javax.swing.JButton cancel = new javax.swing.JButton("Cancel");
        cancel.setName("cancel");
        cancel.addActionListener(e -> dialog.dispose());
        save.setName("save");
        save.addActionListener(e -> onSave.run());
        message.setName("message");
        javax.swing.JPanel buttons = new javax.swing.JPanel(new java.awt.FlowLayout(java.awt.FlowLayout.RIGHT));
        buttons.add(cancel);
        buttons.add(save);
        javax.swing.JPanel bottom = new javax.swing.JPanel(new java.awt.BorderLayout());
        bottom.setBorder(javax.swing.BorderFactory.createEmptyBorder(0, 14, 8, 8));
        bottom.add(message, java.awt.BorderLayout.CENTER);
        bottom.add(buttons, java.awt.BorderLayout.EAST);
        return bottom;
    }
}
