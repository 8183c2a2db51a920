package dev.paddock.jmx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import dev.paddock.testing.PaddockCli;
import dev.paddock.testing.TestRig;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Who may reach the JMX connector: loopback only by default; password and access files; SSL. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class JmxSecurityTest {
    @TempDir
    Path dir;

    private Process daemon;

    @AfterEach
    void tearDown() throws Exception {
        if (daemon != null && daemon.isAlive()) {
            daemon.destroy();
            daemon.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private Path home(String jmxYaml) throws Exception {
        Path home = Files.createDirectories(dir.resolve("home"));
        Files.writeString(home.resolve("config.yaml"), "jmx: " + jmxYaml + "\n");
        return home;
    }

    private void startDaemon(PaddockCli cli) throws Exception {
        daemon = cli.process("start", "--foreground", "--no-tray")
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("daemon.out").toFile())
                .start();
        await().atMost(Duration.ofSeconds(60))
                .until(() -> Files.exists(cli.home().resolve("jmx.url")) || !daemon.isAlive());
        assertThat(daemon.isAlive()).as(() -> read(dir.resolve("daemon.out"))).isTrue();
    }

    /** An IPv4 address of this machine that is not loopback; the test cannot show anything without one. */
    private static InetAddress nonLoopbackAddress() throws Exception {
        Optional<InetAddress> found = NetworkInterface.networkInterfaces()
                .filter(i -> {
                    try {
                        return i.isUp() && !i.isLoopback();
                    } catch (java.net.SocketException e) {
                        return false;
                    }
                })
                .flatMap(NetworkInterface::inetAddresses)
                .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress())
                .findFirst();
        assertThat(found)
                .as("this test needs a network interface other than loopback")
                .isPresent();
        return found.get();
    }

    private static JMXServiceURL at(InetAddress a, int port) throws Exception {
        return new JMXServiceURL("service:jmx:rmi:///jndi/rmi://" + a.getHostAddress() + ":" + port + "/jmxrmi");
    }

    @Test
    void aDefaultConfigRefusesAClientComingToANonLoopbackAddress() throws Exception {
        int port = TestRig.freePort();
        PaddockCli cli = new PaddockCli(home("{port: " + port + "}"), dir);
        startDaemon(cli);
        assertThat(cli.run("status").exit()).as("loopback works").isZero();
        Throwable refused = catchThrowable(() ->
                JMXConnectorFactory.connect(at(nonLoopbackAddress(), port)).close());
        assertThat(refused).isInstanceOf(java.io.IOException.class);
        assertThat(rootCause(refused)).isInstanceOf(java.net.ConnectException.class);
    }

    @Test
    void withPasswordAndAccessFilesANonLoopbackHostStartsAndWantsThePassword() throws Exception {
        int port = TestRig.freePort();
        Path password = Files.writeString(dir.resolve("jmx.password"), "ops s3cret\n");
        Files.setPosixFilePermissions(password, PosixFilePermissions.fromString("rw-------"));
        Path access = Files.writeString(dir.resolve("jmx.access"), "ops readwrite\n");
        PaddockCli cli = new PaddockCli(
                home("{host: 0.0.0.0, port: " + port + ", password-file: " + password + ", access-file: " + access
                        + "}"),
                dir);
        startDaemon(cli);

        PaddockCli.Run status = cli.run("status", "--json");
        assertThat(status.exit())
                .as("the CLI finds the credentials in the files: " + status.err())
                .isZero();
        assertThat(status.json().path("state").asText()).isEqualTo("idle");

        JMXServiceURL remote = at(nonLoopbackAddress(), port);
        assertThat(catchThrowable(() -> JMXConnectorFactory.connect(remote).close()))
                .as("no credentials")
                .isInstanceOf(SecurityException.class);
        assertThat(catchThrowable(() -> JMXConnectorFactory.connect(
                                remote, Map.of(JMXConnector.CREDENTIALS, new String[] {"ops", "wrong"}))
                        .close()))
                .as("a wrong password")
                .isInstanceOf(SecurityException.class);
        try (JMXConnector c =
                JMXConnectorFactory.connect(remote, Map.of(JMXConnector.CREDENTIALS, new String[] {"ops", "s3cret"}))) {
            assertThat(c.getMBeanServerConnection().getAttribute(SupervisorMBean.NAME, "State"))
                    .isEqualTo("idle");
        }
    }

    @Test
    void aPasswordFileOthersCanReadIsRefusedAtStart() throws Exception {
        Path password = Files.writeString(dir.resolve("jmx.password"), "ops s3cret\n");
        Files.setPosixFilePermissions(password, PosixFilePermissions.fromString("rw-r--r--"));
        Path access = Files.writeString(dir.resolve("jmx.access"), "ops readwrite\n");
        PaddockCli cli = new PaddockCli(
                home("{host: 0.0.0.0, port: " + TestRig.freePort() + ", password-file: " + password + ", access-file: "
                        + access + "}"),
                dir);
        PaddockCli.Run r = cli.run("start", "--foreground", "--no-tray");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains(password.toString(), "chmod 600");
        assertThat(cli.home().resolve("jmx.url")).doesNotExist();
    }

    @Test
    void withSslTheCliConnectsWhenItTrustsTheCertificateAndAPlainClientCannot() throws Exception {
        Path keystore = dir.resolve("paddock.p12");
        Process keytool = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "keytool")
                                .toString(),
                        "-genkeypair",
                        "-alias",
                        "paddock",
                        "-keyalg",
                        "EC",
                        "-dname",
                        "CN=127.0.0.1",
                        "-ext",
                        "SAN=IP:127.0.0.1",
                        "-validity",
                        "2",
                        "-storetype",
                        "PKCS12",
                        "-keystore",
                        keystore.toString(),
                        "-storepass",
                        "changeit")
                .redirectErrorStream(true)
                .start();
        String said = new String(keytool.getInputStream().readAllBytes());
        assertThat(keytool.waitFor()).as(said).isZero();

        int port = TestRig.freePort();
        Path home = home("{port: " + port + ", ssl: true}");
        PaddockCli server = new PaddockCli(home, dir)
                .withJvmArgs("-Djavax.net.ssl.keyStore=" + keystore, "-Djavax.net.ssl.keyStorePassword=changeit");
        startDaemon(server);
        assertThat(Files.readAllLines(home.resolve("jmx.url"))).contains("ssl");

        PaddockCli trusting = new PaddockCli(home, dir)
                .withJvmArgs("-Djavax.net.ssl.trustStore=" + keystore, "-Djavax.net.ssl.trustStorePassword=changeit");
        // unload speaks JMX (status may read the gateway instead, which has its own local key)
        PaddockCli.Run ok = trusting.run("unload");
        assertThat(ok.exit()).as(ok.err()).isZero();
        assertThat(ok.out()).contains("unloaded");

        PaddockCli.Run untrusting = new PaddockCli(home, dir).run("unload");
        assertThat(untrusting.exit()).isEqualTo(3);
        assertThat(untrusting.err()).contains("SSL", "trustStore");

        JMXServiceURL url =
                new JMXServiceURL(Files.readAllLines(home.resolve("jmx.url")).get(0));
        assertThat(catchThrowable(() -> JMXConnectorFactory.connect(url).close()))
                .as("a client speaking plain RMI")
                .isInstanceOf(java.io.IOException.class);
    }

    private static Throwable rootCause(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null) c = c.getCause();
        return c;
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
