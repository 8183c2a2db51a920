package dev.paddock.jmx;

import dev.paddock.config.AtomicFile;
import dev.paddock.config.Config;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.rmi.NoSuchObjectException;
import java.rmi.registry.LocateRegistry;
import java.rmi.registry.Registry;
import java.rmi.server.RMIServerSocketFactory;
import java.rmi.server.UnicastRemoteObject;
import java.util.HashMap;
import java.util.Map;
import javax.management.MBeanServer;
import javax.management.remote.JMXConnectorServer;
import javax.management.remote.JMXConnectorServerFactory;
import javax.management.remote.JMXServiceURL;
import javax.management.remote.rmi.RMIConnectorServer;

/**
 * The RMI connector on {@code jmx.host:jmx.port}: registry and connector share the one port and listen on that
 * address only (loopback by default). A non-loopback address is refused unless a password file and an access
 * file are configured. The address is written to {@code PADDOCK_HOME/jmx.url} for the CLI.
 */
public final class JmxConnector implements AutoCloseable {
    private final JMXConnectorServer server;
    private final Registry registry;
    private final Path urlFile;

    private JmxConnector(JMXConnectorServer server, Registry registry, Path urlFile) {
        this.server = server;
        this.registry = registry;
        this.urlFile = urlFile;
    }

    /**
     * Starts the connector; null when {@code jmx.port} is 0 (local attach by pid still works).
     *
     * @throws IllegalArgumentException for a non-loopback host without authentication
     */
    public static JmxConnector start(Config.Jmx cfg, MBeanServer mbs, Path urlFile) throws IOException {
        Files.deleteIfExists(urlFile);
        if (cfg.port() == 0) return null;
        InetAddress address = InetAddress.getByName(cfg.host());
        boolean auth = cfg.passwordFile() != null && cfg.accessFile() != null;
        if (!address.isLoopbackAddress() && !auth) {
            throw new IllegalArgumentException(
                    "jmx.host " + cfg.host() + " is reachable from other machines: set jmx.password-file "
                            + "and jmx.access-file in config.yaml, or use jmx.host: 127.0.0.1");
        }
        // RMI stubs carry this host name; without it they may name an address the connector does not listen on.
        System.setProperty("java.rmi.server.hostname", address.getHostAddress());
        RMIServerSocketFactory sockets = new BoundSocketFactory(address);
        Registry registry = LocateRegistry.createRegistry(cfg.port(), null, sockets);
        Map<String, Object> env = new HashMap<>();
        env.put(RMIConnectorServer.RMI_SERVER_SOCKET_FACTORY_ATTRIBUTE, sockets);
        if (auth) {
            env.put("jmx.remote.x.password.file", cfg.passwordFile().toString());
            env.put("jmx.remote.x.access.file", cfg.accessFile().toString());
        }
        String host = address.getHostAddress().contains(":")
                ? "[" + address.getHostAddress() + "]"
                : address.getHostAddress();
        JMXServiceURL url = new JMXServiceURL(
                "service:jmx:rmi://" + host + ":" + cfg.port() + "/jndi/rmi://" + host + ":" + cfg.port() + "/jmxrmi");
        JMXConnectorServer server = JMXConnectorServerFactory.newJMXConnectorServer(url, env, mbs);
        try {
            server.start();
        } catch (IOException e) {
            UnicastRemoteObject.unexportObject(registry, true);
            throw e;
        }
        AtomicFile.write(urlFile, (url + "\n").getBytes(StandardCharsets.UTF_8));
        return new JmxConnector(server, registry, urlFile);
    }

    public JMXServiceURL address() {
        return server.getAddress();
    }

    @Override
    public void close() throws IOException {
        Files.deleteIfExists(urlFile);
        server.stop();
        try {
            UnicastRemoteObject.unexportObject(registry, true);
        } catch (NoSuchObjectException e) {
            // already gone
        }
    }

    /** Listens on one address only. Equal instances let the registry and the connector share a port. */
    private record BoundSocketFactory(InetAddress address) implements RMIServerSocketFactory {
        @Override
        public ServerSocket createServerSocket(int port) throws IOException {
            return new ServerSocket(port, 50, address);
        }
    }
}
