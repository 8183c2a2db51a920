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
}
