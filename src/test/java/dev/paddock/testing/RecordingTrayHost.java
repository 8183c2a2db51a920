package dev.paddock.testing;

import dev.paddock.tray.MenuModel;
import dev.paddock.tray.TrayHost;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A tray host that draws nothing: it keeps every menu it is shown (each change once) and every notification. */
public final class RecordingTrayHost implements TrayHost {
    private final List<MenuModel> shown = new CopyOnWriteArrayList<>();
    private final List<String> notices = new CopyOnWriteArrayList<>();

    @Override
    public void show(MenuModel model, int frame) {
        if (shown.isEmpty() || !shown.get(shown.size() - 1).equals(model)) shown.add(model);
    }

    /** Keeps {@code TITLE: BODY}; the host shows every notification. */
    @Override
    public boolean notify(String title, String body, boolean error) {
        notices.add(title + ": " + body);
        return true;
    }

    @Override
    public String kind() {
        return "recording";
    }

    @Override
    public void close() {}

    /** Every menu shown, in order, each change once. */
    public List<MenuModel> shown() {
        return shown;
    }

    /** The menu shown last; fails when none has been. */
    public MenuModel last() {
        if (shown.isEmpty()) throw new AssertionError("no menu shown yet");
        return shown.get(shown.size() - 1);
    }

    public List<String> notices() {
        return notices;
    }
}
