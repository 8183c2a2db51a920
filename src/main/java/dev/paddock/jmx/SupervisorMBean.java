package dev.paddock.jmx;

import dev.paddock.core.PaddockException;
import dev.paddock.supervisor.ModelSwitcher;
import dev.paddock.supervisor.ServerState;
import dev.paddock.supervisor.StateView;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.AttributeChangeNotification;
import javax.management.MBeanNotificationInfo;
import javax.management.NotificationBroadcasterSupport;
import javax.management.ObjectName;

/**
 * The MXBean: reads the supervisor's lock-free state, delegates operations to {@link ModelSwitcher}, and turns every
 * state transition into an {@link AttributeChangeNotification} on {@code State}. Holds no logic of its own.
 */
public final class SupervisorMBean extends NotificationBroadcasterSupport implements SupervisorMXBean {
    public static final ObjectName NAME = name();

    /** The notification type of pull progress. */
    public static final String PULL_PROGRESS = "dev.paddock.pull";

    private final ModelSwitcher switcher;
    private final AtomicLong sequence = new AtomicLong();
    private volatile java.util.function.Supplier<java.time.Instant> idleUnloadAt = () -> null;

    public SupervisorMBean(ModelSwitcher switcher) {
        super(
                new MBeanNotificationInfo(
                        new String[] {AttributeChangeNotification.ATTRIBUTE_CHANGE},
                        AttributeChangeNotification.class.getName(),
                        "the State attribute changed"),
                new MBeanNotificationInfo(
                        new String[] {PULL_PROGRESS},
                        javax.management.Notification.class.getName(),
                        "a model is being downloaded: user data {file, done, total} (bytes)"));
        this.switcher = switcher;
        switcher.supervisor()
                .addListener((from, to) -> sendNotification(new AttributeChangeNotification(
                        NAME,
                        sequence.incrementAndGet(),
                        System.currentTimeMillis(),
                        "state " + from.name() + " -> " + to.name(),
                        "State",
                        String.class.getName(),
                        from.name(),
                        to.name())));
    }

    private ServerState state() {
        return switcher.supervisor().state();
    }

    @Override
    public String getState() {
        return state().name();
    }

    @Override
    public String getPreset() {
        return StateView.of(state()).preset();
    }

    @Override
    public String getModel() {
        return StateView.of(state()).model();
    }

    @Override
    public String getEndpoint() {
        return StateView.of(state()).endpoint();
    }

    @Override
    public long getServerPid() {
        return StateView.of(state()).pid();
    }

    @Override
    public String getSince() {
        return state().since().toString();
    }

    @Override
    public String getLastError() {
        return StateView.of(state()).error();
    }

    /** Sends a pull-progress notification (user data: a map of file, done and total, JDK types only). */
    public void pullProgress(String file, long done, long total) {
        javax.management.Notification n = new javax.management.Notification(
                PULL_PROGRESS,
                NAME,
                sequence.incrementAndGet(),
                System.currentTimeMillis(),
                "pulling " + file + ": " + done + " of " + total + " bytes");
        java.util.HashMap<String, Object> data = new java.util.HashMap<>();
        data.put("file", file);
        data.put("done", done);
        data.put("total", total);
        n.setUserData(data);
        sendNotification(n);
    }

    /** Where {@code IdleUnloadAt} comes from (the gateway's idle unload). */
    public void idleUnloadAt(java.util.function.Supplier<java.time.Instant> source) {
        idleUnloadAt = source;
    }

    @Override
    public String getIdleUnloadAt() {
        java.time.Instant t = idleUnloadAt.get();
        return t == null ? null : t.toString();
    }

    @Override
    public String getPresetChange() {
        return switcher.presetChange();
    }

    @Override
    public String load(String identifier) {
        try {
            return switcher.load(identifier).endpoint().toString();
        } catch (PaddockException e) {
            throw new IllegalStateException(e.codedMessage());
        }
    }

    @Override
    public void unload() {
        switcher.unload();
    }

    @Override
    public String[] listPresets() {
        return switcher.presetNames().toArray(String[]::new);
    }

    @Override
    public String[] listModels() {
        return switcher.modelNames().toArray(String[]::new);
    }

    @Override
    public ModelRow[] listModelDetails() {
        return switcher.models().stream()
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
                            m.problem());
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
