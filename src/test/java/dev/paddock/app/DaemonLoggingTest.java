package dev.paddock.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.paddock.testing.LlamaServerBinary;
import dev.paddock.testing.PaddockCli;
import dev.paddock.testing.TestRig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A person's own Logback configuration is used — {@code PADDOCK_HOME/logback.xml}, or {@code
 * -Dlogback.configurationFile} — and the JDK's own logging (JMX, RMI: java.util.logging) reaches it too.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DaemonLoggingTest {
    @TempDir
    Path dir;

    /** A configuration that writes everything, JMX's java.util.logging records included, to {@code file}. */
    private static String logbackXml(Path file) {
        return """
                <configuration>
                  <appender name="MINE" class="ch.qos.logback.core.FileAppender">
                    <file>%s</file>
                    <encoder><pattern>MINE %%level %%logger - %%msg%%n</pattern></encoder>
                  </appender>
                  <logger name="javax.management.remote" level="TRACE"/>
                  <root level="INFO"><appender-ref ref="MINE"/></root>
                </configuration>
                """
                .formatted(file);
    }

    private Path home(String name) throws Exception {
        Path home = Files.createDirectories(dir.resolve(name));
        Files.writeString(
                home.resolve("config.yaml"),
                "llama-server: " + LlamaServerBinary.require() + "\njmx: {port: " + TestRig.freePort()
                        + "}\ngateway: {port: " + TestRig.freePort() + "}\n");
        return home;
    }

    private static void runAndStop(PaddockCli cli, Path mine) throws Exception {
        Process daemon = cli.startDaemon();
        try {
            assertThat(cli.run("unload").exit())
                    .as("a command over JMX, which logs through java.util.logging")
                    .isZero();
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> Files.exists(mine) && Files.readString(mine).contains("javax.management.remote"));
        } finally {
            daemon.destroy();
            daemon.waitFor(30, TimeUnit.SECONDS);
        }
        assertThat(Files.readString(mine))
                .contains("MINE INFO dev.paddock.app.Daemon - Paddock started")
                .as("the JDK's own logging, bridged")
                .containsPattern("MINE (TRACE|DEBUG) javax\\.management\\.remote");
    }

    @Test
    void logbackXmlInTheHomeIsUsedAndJavaUtilLoggingReachesIt() throws Exception {
        Path home = home("home");
        Path mine = dir.resolve("mine.log");
        Files.writeString(home.resolve("logback.xml"), logbackXml(mine));
        runAndStop(new PaddockCli(home, dir), mine);
        assertThat(home.resolve("logs/daemon.log")).as("not ours: the person's").doesNotExist();
    }

    @Test
    void logbackConfigurationFileIsHonoured() throws Exception {
        Path home = home("home2");
        Path mine = dir.resolve("mine2.log");
        Path xml = Files.writeString(dir.resolve("elsewhere.xml"), logbackXml(mine));
        runAndStop(new PaddockCli(home, dir).withJvmArgs("-Dlogback.configurationFile=" + xml), mine);
        assertThat(home.resolve("logs/daemon.log")).doesNotExist();
    }
}
