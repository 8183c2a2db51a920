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
