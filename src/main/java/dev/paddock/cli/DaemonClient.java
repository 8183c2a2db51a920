package dev.paddock.cli;

import dev.paddock.config.PaddockHome;
import dev.paddock.jmx.JmxConnector;
import dev.paddock.jmx.SupervisorMBean;
import dev.paddock.jmx.SupervisorMXBean;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.AttributeChangeNotification;
import javax.management.InstanceNotFoundException;
import javax.management.JMX;
import javax.management.remote.JMXConnectionNotification;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import javax.rmi.ssl.SslRMIClientSocketFactory;

/** The CLI's connection to the running Paddock, over the JMX address it published in {@code PADDOCK_HOME/jmx.url}. */
final class DaemonClient implements AutoCloseable {
    private static final Pattern CODED = Pattern.compile("([a-z_]+): (.*)", Pattern.DOTALL);

    private final JMXConnector connector;
    final SupervisorMXBean supervisor;

    private DaemonClient(JMXConnector connector) throws IOException {
        this.connector = connector;
        this.supervisor =
                JMX.newMXBeanProxy(connector.getMBeanServerConnection(), SupervisorMBean.NAME, SupervisorMXBean.class);
    }

    /** @throws NotRunning when no Paddock answers for this home */
    static DaemonClient connect(PaddockHome home) throws NotRunning {
        return connect(home, false);
    }

    /**
     * @param staying the client stays connected (watching): check the connection every second, so that a Paddock
     *     that goes away is noticed at once rather than after RMI's default minute
     * @throws NotRunning when no Paddock answers for this home
     */
    static DaemonClient connect(PaddockHome home, boolean staying) throws NotRunning {
        List<String> lines;
        try {
            lines = Files.readAllLines(home.jmxUrlFile(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new NotRunning(home);
        }
        if (lines.isEmpty()) throw new NotRunning(home);
        Map<String, Object> env = new HashMap<>();
        if (staying) env.put("jmx.remote.x.client.connection.check.period", 1000L);
        if (lines.contains(JmxConnector.SSL))
            env.put("com.sun.jndi.rmi.factory.socket", new SslRMIClientSocketFactory());
        if (lines.contains(JmxConnector.AUTH)) env.put(JMXConnector.CREDENTIALS, JmxCredentials.find(home));
        try {
            return new DaemonClient(
                    JMXConnectorFactory.connect(new JMXServiceURL(lines.get(0).trim()), env));
        } catch (SecurityException e) {
            throw new NotRunning(
                    home,
                    "Paddock refused the JMX credentials: " + e.getMessage()
                            + " (set PADDOCK_JMX_USER and PADDOCK_JMX_PASSWORD, or check jmx.password-file)");
        } catch (IOException e) {
            if (lines.contains(JmxConnector.SSL) && hasSslCause(e)) {
                throw new NotRunning(
                        home,
                        "cannot reach Paddock over SSL: " + e.getMessage()
                                + " (trust its certificate: PADDOCK_JAVA_OPTS=-Djavax.net.ssl.trustStore=FILE)");
            }
            throw new NotRunning(home);
        }
    }

    private static boolean hasSslCause(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof javax.net.ssl.SSLException) return true;
        }
        return false;
    }

    /** The {@code code: message} an operation failed with, from wherever JMX wrapped it; null if it has none. */
    static String[] codeAndMessage(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c.getMessage() == null) continue;
            Matcher m = CODED.matcher(c.getMessage());
            if (m.matches()) return new String[] {m.group(1), m.group(2)};
        }
        return null;
    }

    /**
     * Calls {@code onChange} at every State notification and {@code onGone} (once or more) when the connection to
     * Paddock fails or closes. Both run on JMX's notification thread.
     */
    void onStateChange(Runnable onChange, Runnable onGone) {
        try {
            connector.addConnectionNotificationListener(
                    (n, hb) -> {
                        if (JMXConnectionNotification.FAILED.equals(n.getType())
                                || JMXConnectionNotification.CLOSED.equals(n.getType())) onGone.run();
                    },
                    null,
                    null);
            connector
                    .getMBeanServerConnection()
                    .addNotificationListener(
                            SupervisorMBean.NAME,
                            (n, hb) -> {
                                if (n instanceof AttributeChangeNotification a && "State".equals(a.getAttributeName()))
                                    onChange.run();
                            },
                            null,
                            null);
        } catch (IOException | InstanceNotFoundException e) {
            onGone.run();
        }
    }

    /** Calls {@code onProgress} with the load's progress (0 to 1) each time the loading server reports it. */
    void onLoadProgress(java.util.function.DoubleConsumer onProgress) {
        try {
            connector
                    .getMBeanServerConnection()
                    .addNotificationListener(
                            SupervisorMBean.NAME,
                            (n, hb) -> {
                                if (SupervisorMBean.STATUS_CHANGE.equals(n.getType())
                                        && n.getUserData() instanceof Number p) onProgress.accept(p.doubleValue());
                            },
                            null,
                            null);
        } catch (IOException | InstanceNotFoundException e) {
            // no percentage: the states still show
        }
    }

    /** Calls {@code onProgress(file, done, total)} for every pull-progress notification. */
    void onPullProgress(PullListener onProgress) {
        try {
            connector
                    .getMBeanServerConnection()
                    .addNotificationListener(
                            SupervisorMBean.NAME,
                            (n, hb) -> {
                                if (SupervisorMBean.PULL_PROGRESS.equals(n.getType())
                                        && n.getUserData() instanceof Map<?, ?> m) {
                                    onProgress.update(
                                            String.valueOf(m.get("file")),
                                            ((Number) m.get("done")).longValue(),
                                            ((Number) m.get("total")).longValue());
                                }
                            },
                            null,
                            null);
        } catch (IOException | InstanceNotFoundException e) {
            // no progress to show then; the load itself still reports how it ended
        }
    }

    /** Pull progress as the daemon reports it. */
    interface PullListener {
        void update(String file, long done, long total);
    }

    @Override
    public void close() {
        try {
            connector.close();
        } catch (IOException e) {
            // the daemon went away first; nothing to release
        }
    }

    /** No Paddock runs for this home (exit code 3). */
    static final class NotRunning extends Exception {
        private static final long serialVersionUID = 1L;

        NotRunning(PaddockHome home) {
            super("Paddock is not running for " + home.root() + "; start it with: paddock start");
        }

        NotRunning(PaddockHome home, String why) {
            super(why);
        }
    }
}
