package dev.paddock.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.jul.LevelChangePropagator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.rolling.RollingFileAppender;
import dev.paddock.config.Config;
import dev.paddock.config.PaddockHome;
import dev.paddock.supervisor.LlamaLog;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Points the app's own logging at {@code logs/daemon.log}, rotated like llama.log, at {@code log-level}, and
 * optionally the console; the JDK's own logging (java.util.logging: RMI, JMX, the HTTP server) goes there too.
 * A person's own Logback configuration wins: {@code -Dlogback.configurationFile=…} (Logback read it at start and it
 * is left alone), else {@code PADDOCK_HOME/logback.xml}.
 */
final class DaemonLogging {
    private static final String PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger{0} - %msg%n";

    private final LoggerContext ctx;
    private final Path daemonLog;
    private final boolean ours;
    private RollingFileAppender<ILoggingEvent> file; // ours only

    private DaemonLogging(LoggerContext ctx, Path daemonLog, boolean ours) {
        this.ctx = ctx;
        this.daemonLog = daemonLog;
        this.ours = ours;
    }

    /** Configures logging for a resident Paddock; {@code logs/daemon.log} unless the person brought their own. */
    static DaemonLogging configure(PaddockHome home, Config config, boolean console) {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        bridgeJavaLogging(ctx);
        if (System.getProperty("logback.configurationFile") != null) return new DaemonLogging(ctx, null, false);
        Path custom = home.root().resolve("logback.xml");
        String unusable = null;
        if (Files.isRegularFile(custom)) {
            ctx.reset();
            bridgeJavaLogging(ctx);
            JoranConfigurator joran = new JoranConfigurator();
            joran.setContext(ctx);
            try {
                joran.doConfigure(custom.toFile());
                return new DaemonLogging(ctx, null, false);
            } catch (JoranException e) {
                unusable = e.getMessage(); // ours instead, saying why below
            }
        }
        ctx.reset();
        bridgeJavaLogging(ctx);
        DaemonLogging logging = new DaemonLogging(ctx, home.daemonLog(), true);
        Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
        if (console) root.addAppender(consoleAppender(ctx));
        logging.apply(config);
        if (unusable != null)
            root.warn("{} cannot be used ({}); logging to {} instead", custom, unusable, home.daemonLog());
        return logging;
    }

    /** Applies {@code log-level}, {@code log-max-size} and {@code log-max-files} now (ours only). */
    synchronized void apply(Config config) {
        if (!ours) return;
        Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(config.logLevel(), Level.INFO));
        if (file != null) {
            LlamaLog.resize(file, config.logMaxSize(), config.logMaxFiles());
            return;
        }
        file = LlamaLog.rollingAppender(ctx, daemonLog, PATTERN, config.logMaxSize(), config.logMaxFiles());
        root.addAppender(file);
    }

    /** java.util.logging into SLF4J, with JUL's levels following Logback's so that disabled records cost nothing. */
    private static void bridgeJavaLogging(LoggerContext ctx) {
        if (!SLF4JBridgeHandler.isInstalled()) {
            SLF4JBridgeHandler.removeHandlersForRootLogger();
            SLF4JBridgeHandler.install();
        }
        LevelChangePropagator propagator = new LevelChangePropagator();
        propagator.setContext(ctx);
        propagator.setResetJUL(true);
        propagator.start();
        ctx.addListener(propagator);
    }

    private static ConsoleAppender<ILoggingEvent> consoleAppender(LoggerContext ctx) {
        ConsoleAppender<ILoggingEvent> out = new ConsoleAppender<>();
        out.setContext(ctx);
        out.setTarget("System.err");
        PatternLayoutEncoder enc = new PatternLayoutEncoder();
        enc.setContext(ctx);
        enc.setPattern("%d{HH:mm:ss.SSS} %-5level %msg%n");
        enc.start();
        out.setEncoder(enc);
        out.start();
        return out;
    }
}
