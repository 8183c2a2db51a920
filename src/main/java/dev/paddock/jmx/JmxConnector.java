package dev.paddock.jmx;

import dev.paddock.config.AtomicFile;
import dev.paddock.config.Config;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.rmi.NoSuchObjectException;
import java.rmi.registry.LocateRegistry;
import java.rmi.registry.Registry;
import java.rmi.server.RMIClientSocketFactory;
import java.rmi.server.RMIServerSocketFactory;
import java.rmi.server.UnicastRemoteObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.management.MBeanServer;
import javax.management.remote.JMXConnectorServer;
import javax.management.remote.JMXServiceURL;
import javax.management.remote.rmi.RMIConnectorServer;
import javax.management.remote.rmi.RMIJRMPServerImpl;
import javax.net.ssl.SSLServerSocketFactory;
import javax.rmi.ssl.SslRMIClientSocketFactory;

/**
 * The RMI connector on {@code jmx.host:jmx.port}: registry and connector share the one port and listen on that
 * address only (loopback by default). A non-loopback address is refused unless a password file and an access
 * file are configured. The address is written to {@code PADDOCK_HOME/jmx.url} for the CLI.
 */
public final class JmxConnector implements AutoCloseable {
    private final JMXConnectorServer server;
    private final Registry registry;
    private final Path urlFile;
    private final JMXServiceURL url;

    private JmxConnector(JMXConnectorServer server, Registry registry, Path urlFile, JMXServiceURL url) {
        this.server = server;
        this.registry = registry;
        this.urlFile = urlFile;
        this.url = url;
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
        if (cfg.passwordFile() != null || cfg.accessFile() != null) checkAuthFiles(cfg);
        // RMI stubs carry this host name; without it they may name an address the connector does not listen on.
        System.setProperty("java.rmi.server.hostname", address.getHostAddress());
        RMIServerSocketFactory sockets =
                cfg.ssl() ? new BoundSslSocketFactory(address) : new BoundSocketFactory(address);
        RMIClientSocketFactory clients = cfg.ssl() ? new SslRMIClientSocketFactory() : null;
        Registry registry = LocateRegistry.createRegistry(cfg.port(), clients, sockets);
        Map<String, Object> env = new HashMap<>();
        if (auth) {
            env.put("jmx.remote.x.password.file", cfg.passwordFile().toString());
            env.put("jmx.remote.x.access.file", cfg.accessFile().toString());
        }
        String host = address.getHostAddress().contains(":")
                ? "[" + address.getHostAddress() + "]"
                : address.getHostAddress();
        JMXServiceURL url = new JMXServiceURL(
                "service:jmx:rmi://" + host + ":" + cfg.port() + "/jndi/rmi://" + host + ":" + cfg.port() + "/jmxrmi");
        // The connector's stub goes into the registry by a direct call, not over the network: with SSL, a bind over
        // the network would need this JVM to trust its own certificate.
        RMIJRMPServerImpl rmiServer = new RMIJRMPServerImpl(cfg.port(), clients, sockets, env);
        JMXConnectorServer server = new RMIConnectorServer(
                new JMXServiceURL("service:jmx:rmi://" + host + ":" + cfg.port()), env, rmiServer, mbs);
        try {
            server.start();
            registry.bind("jmxrmi", rmiServer.toStub());
        } catch (IOException | java.rmi.AlreadyBoundException e) {
            server.stop();
            UnicastRemoteObject.unexportObject(registry, true);
            throw e instanceof IOException io ? io : new IOException(e);
        }
        // line 1 is the address; the lines after it tell the CLI how to connect
        String lines = url + "\n" + (cfg.ssl() ? SSL + "\n" : "") + (auth ? AUTH + "\n" : "");
        AtomicFile.write(urlFile, lines.getBytes(StandardCharsets.UTF_8));
        return new JmxConnector(server, registry, urlFile, url);
    }

    /** A line of {@code jmx.url}: the connector speaks SSL. */
    public static final String SSL = "ssl";

    /** A line of {@code jmx.url}: the connector wants a user name and password. */
    public static final String AUTH = "auth";

    /**
     * Both files must exist, and the password file must be readable by its owner only (as the JDK's own agent
     * demands), so that a password in it is not shown to every user of the machine.
     */
    private static void checkAuthFiles(Config.Jmx cfg) throws IOException {
        if (cfg.passwordFile() == null || cfg.accessFile() == null) {
            throw new IllegalArgumentException("set both jmx.password-file and jmx.access-file, or neither");
        }
        for (Path f : List.of(cfg.passwordFile(), cfg.accessFile())) {
            if (!Files.isReadable(f))
                throw new IllegalArgumentException(f + " (named in config.yaml jmx:) is not a readable file");
        }
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(cfg.passwordFile());
            for (PosixFilePermission p : perms) {
                if (p.name().startsWith("GROUP") || p.name().startsWith("OTHERS")) {
                    throw new IllegalArgumentException("jmx.password-file " + cfg.passwordFile()
                            + " can be read by other users; make it owner-only: chmod 600 " + cfg.passwordFile());
                }
            }
        } catch (UnsupportedOperationException e) {
            // no POSIX permissions on this file system: nothing to check
        }
    }

    /** The address clients use (the registry's name for the connector). */
    public JMXServiceURL address() {
        return url;
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

    /** SSL, on one address only, with the JVM's key store ({@code javax.net.ssl.keyStore}). */
    private record BoundSslSocketFactory(InetAddress address) implements RMIServerSocketFactory {
        @Override
        public ServerSocket createServerSocket(int port) throws IOException {
            return SSLServerSocketFactory.getDefault().createServerSocket(port, 50, address);
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
