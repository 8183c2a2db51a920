package dev.paddock.hub;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** One pull's progress told to everyone who listens: the log, JMX clients, the tray. */
public final class ProgressFanout implements Puller.Progress {
    private final List<Puller.Progress> listeners = new CopyOnWriteArrayList<>();

    public void add(Puller.Progress p) {
        listeners.add(p);
    }

    @Override
    public void update(String file, long done, long total) {
        for (Puller.Progress p : listeners) p.update(file, done, total);
    }
}
