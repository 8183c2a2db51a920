package dev.paddock.jmx;

import dev.paddock.core.PaddockException;
import dev.paddock.switchboard.Origin;
import dev.paddock.switchboard.Status;
import dev.paddock.switchboard.Switchboard;
import java.util.HashMap;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.AttributeChangeNotification;
import javax.management.MBeanNotificationInfo;
import javax.management.Notification;
import javax.management.NotificationBroadcasterSupport;
import javax.management.ObjectName;

/**
 * The MXBean: reads the switchboard's one status snapshot, delegates operations to the {@link Switchboard}, and
 * turns every change of the state into an {@link AttributeChangeNotification} on {@code State} (every other change
 * a person would see, such as a switch waiting for requests, into a {@code dev.paddock.status} notification). Holds
 * no logic of its own.
 */
public final class SupervisorMBean extends NotificationBroadcasterSupport implements SupervisorMXBean {
    public static final ObjectName NAME = name();

    /** The notification type of pull progress. */
    public static final String PULL_PROGRESS = "dev.paddock.pull";

    /** The notification type of a status change that is not a change of state (its message describes it). */
    public static final String STATUS_CHANGE = "dev.paddock.status";

    private final Switchboard switchboard;
    private final AtomicLong sequence = new AtomicLong();
    private volatile java.util.function.Predicate<String> windows = name -> false;

    public SupervisorMBean(Switchboard switchboard) {
        super(
                new MBeanNotificationInfo(
                        new String[] {AttributeChangeNotification.ATTRIBUTE_CHANGE},
                        AttributeChangeNotification.class.getName(),
                        "the State attribute changed"),
                new MBeanNotificationInfo(
                        new String[] {STATUS_CHANGE},
                        Notification.class.getName(),
                        "the Status changed otherwise (a switch waits for requests, a load advanced, a preset or"
                                + " config.yaml changed): user data the load's progress (0 to 1) or null"),
                new MBeanNotificationInfo(
                        new String[] {PULL_PROGRESS},
                        Notification.class.getName(),
                        "a model is being downloaded: user data {file, done, total} (bytes)"));
        this.switchboard = switchboard;
        switchboard.addListener(this::statusChanged);
    }

    private void statusChanged(Status from, Status to) {
        long now = System.currentTimeMillis();
        if (!from.state().equals(to.state())) {
            sendNotification(new AttributeChangeNotification(
                    NAME,
                    sequence.incrementAndGet(),
                    now,
                    "state " + from.state() + " -> " + to.state(),
                    "State",
                    String.class.getName(),
                    from.state(),
                    to.state()));
        } else {
            Double progress = to.loadProgress();
            String what = to.pending() != null
                    ? to.pending().describe()
                    : progress != null ? "loading " + Math.round(progress * 100) + "%" : "status changed";
            Notification n = new Notification(STATUS_CHANGE, NAME, sequence.incrementAndGet(), now, what);
            n.setUserData(progress); // the load's progress (0 to 1), or null
            sendNotification(n);
        }
    }

    private Status status() {
        return switchboard.status();
    }

    @Override
    public StatusRow getStatus() {
        return StatusRow.of(status());
    }

    @Override
    public String getState() {
        return status().state();
    }

    @Override
    public String getPreset() {
        return status().view().preset();
    }

    @Override
    public String getModel() {
        return status().view().model();
    }

    @Override
    public String getEndpoint() {
        return status().view().endpoint();
    }

    @Override
    public long getServerPid() {
        return status().view().pid();
    }

    @Override
    public String getSince() {
        return status().view().since();
    }

    @Override
    public String getLastError() {
        return status().view().error();
    }

    @Override
    public String getIdleUnloadAt() {
        java.time.Instant t = status().idleUnloadAt();
        return t == null ? null : t.toString();
    }

    @Override
    public String getPresetChange() {
        return status().presetChange();
    }

    /** Sends a pull-progress notification (user data: a map of file, done and total, JDK types only). */
    public void pullProgress(String file, long done, long total) {
        Notification n = new Notification(
                PULL_PROGRESS,
                NAME,
                sequence.incrementAndGet(),
                System.currentTimeMillis(),
                "pulling " + file + ": " + done + " of " + total + " bytes");
        HashMap<String, Object> data = new HashMap<>();
        data.put("file", file);
        data.put("done", done);
        data.put("total", total);
        n.setUserData(data);
        sendNotification(n);
    }

    @Override
    public String load(String identifier) {
        return load(identifier, false);
    }

    @Override
    public String load(String identifier, boolean force) {
        return load(identifier, force, null);
    }

    @Override
    public String load(String identifier, boolean force, String client) {
        Origin origin = client == null || client.isBlank() ? Origin.JMX : new Origin(client);
        try {
            return switchboard.load(identifier, force, origin).endpoint().toString();
        } catch (PaddockException e) {
            throw new IllegalStateException(e.codedMessage());
        }
    }

    @Override
    public void unload() {
        unload(false);
    }

    /** The windows {@link #showWindow} opens: the tray's, once it is shown; false when it opened none. */
    public void windowsFrom(java.util.function.Predicate<String> opener) {
        windows = opener;
    }

    @Override
    public void showWindow(String name) {
        if (!java.util.List.of("models", "log").contains(name)) {
            throw new IllegalArgumentException(
                    "invalid_identifier: no window '" + name + "'; Paddock's windows are models and log");
        }
        if (!windows.test(name)) {
            throw new IllegalStateException("server_failed: Paddock runs without a desktop here (no display, or"
                    + " started with --no-tray), so it has no windows to show");
        }
    }

    @Override
    public void unload(boolean force) {
        switchboard.unload(force, Origin.JMX);
    }

    @Override
    public String[] listPresets() {
        return switchboard.presetNames().toArray(String[]::new);
    }

    @Override
    public String[] listModels() {
        return switchboard.modelNames().toArray(String[]::new);
    }

    @Override
    public ModelRow[] listModelDetails() {
        return switchboard.models().stream()
                .map(m -> {
                    var g = m.info();
                    return new ModelRow(
                            m.name(),
                            m.file(),
                            g == null ? null : g.architecture(),
                            g == null ? -1 : g.parameters(),
                            g == null ? null : g.fileType(),
                            g == null ? -1 : g.fileSize(),
                            g == null || g.contextLength() == null ? -1 : g.contextLength(),
                            m.problem(),
                            m.source(),
                            m.projector());
                })
                .toArray(ModelRow[]::new);
    }

    private static ObjectName name() {
        try {
            return new ObjectName("dev.paddock:type=Supervisor");
        } catch (javax.management.MalformedObjectNameException e) {
            throw new AssertionError(e);
        }
    }
}
