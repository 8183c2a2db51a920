package dev.paddock.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import dev.paddock.config.Config;
import dev.paddock.supervisor.LlamaLog;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;

/** Points the app's own logging at {@code logs/daemon.log}, rotated like llama.log, and optionally the console. */
final class DaemonLogging {
    private static final String PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger{0} - %msg%n";

    private DaemonLogging() {}

    static void configure(Path daemonLog, Config config, boolean console) {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        ctx.reset();
        Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(LlamaLog.rollingAppender(ctx, daemonLog, PATTERN, config.logMaxSize(), config.logMaxFiles()));
        if (console) {
            ConsoleAppender<ILoggingEvent> out = new ConsoleAppender<>();
            out.setContext(ctx);
            out.setTarget("System.err");
            PatternLayoutEncoder enc = new PatternLayoutEncoder();
            enc.setContext(ctx);
            enc.setPattern("%d{HH:mm:ss.SSS} %-5level %msg%n");
            enc.start();
            out.setEncoder(enc);
            out.start();
            root.addAppender(out);
        }
    }
}
