package dev.paddock.supervisor;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.rolling.FixedWindowRollingPolicy;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy;
import ch.qos.logback.core.util.Duration;
import ch.qos.logback.core.util.FileSize;
import dev.paddock.config.AtomicFile;
import java.nio.file.Path;

/**
 * {@code logs/llama.log}: llama-server's output, raw, one line per line, rotated by size to {@code llama.log.1} …
 * {@code llama.log.N}. Each instance has a Logback context of its own, so the app's logging configuration never
 * touches it and two supervisors in one JVM (tests) never share a file.
 */
public final class LlamaLog implements AutoCloseable {
    private final LoggerContext context = new LoggerContext();
    private final Logger logger;
    private final Path file;
    private final RollingFileAppender<ILoggingEvent> appender;

    /**
     * @param maxSize rotate once the file reaches this many bytes
     * @param maxFiles rotated files kept (1 to 20)
     */
    public LlamaLog(Path file, long maxSize, int maxFiles) {
        this.file = file;
        context.setName("llama-log");
        context.setMDCAdapter(new LogbackMDCAdapter()); // a context of our own has none, and every append would fail
        appender = rollingAppender(context, file, "%msg%n", maxSize, maxFiles);
        logger = context.getLogger("llama");
        logger.setAdditive(false);
        logger.addAppender(appender);
        context.start();
    }

    /** Rotates at {@code maxSize} bytes keeping {@code maxFiles} old files from the next line on (config.yaml). */
    public void resize(long maxSize, int maxFiles) {
        resize(appender, maxSize, maxFiles);
    }

    /**
     * Changes a {@link #rollingAppender}'s limits in place: the same file stays open, so no line is lost or written
     * twice while the settings change.
     */
    public static void resize(RollingFileAppender<ILoggingEvent> appender, long maxSize, int maxFiles) {
        ((SizeBasedTriggeringPolicy<ILoggingEvent>) appender.getTriggeringPolicy())
                .setMaxFileSize(new FileSize(maxSize));
        ((FixedWindowRollingPolicy) appender.getRollingPolicy()).setMaxIndex(maxFiles);
    }

    /**
     * A size-rotated file appender with its checks made on every event: Logback otherwise looks at the size only
     * once a minute, and a flooding server could write gigabytes in that time.
     */
    public static RollingFileAppender<ILoggingEvent> rollingAppender(
            LoggerContext context, Path file, String pattern, long maxSize, int maxFiles) {
        RollingFileAppender<ILoggingEvent> appender = new RollingFileAppender<>();
        appender.setContext(context);
        appender.setName(file.getFileName().toString());
        appender.setFile(file.toString());

        FixedWindowRollingPolicy rolling = new FixedWindowRollingPolicy();
        rolling.setContext(context);
        rolling.setParent(appender);
        rolling.setFileNamePattern(file + ".%i");
        rolling.setMinIndex(1);
        rolling.setMaxIndex(maxFiles);
        rolling.start();

        SizeBasedTriggeringPolicy<ILoggingEvent> trigger = new SizeBasedTriggeringPolicy<>();
        trigger.setContext(context);
        trigger.setMaxFileSize(new FileSize(maxSize));
        trigger.setCheckIncrement(Duration.buildByMilliseconds(0));
        trigger.start();

        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(pattern);
        encoder.start();

        appender.setRollingPolicy(rolling);
        appender.setTriggeringPolicy(trigger);
        appender.setEncoder(encoder);
        appender.start();
        try {
            AtomicFile.OwnerOnly.restrictFile(file); // the folder is owner-only too; this covers a file moved elsewhere
        } catch (java.io.IOException e) {
            context.getStatusManager()
                    .add(new ch.qos.logback.core.status.WarnStatus("cannot restrict " + file, appender, e));
        }
        return appender;
    }

    public Path file() {
        return file;
    }

    /** Appends one line as llama-server wrote it. Thread-safe. */
    public void append(String line) {
        logger.info(line);
    }

    @Override
    public void close() {
        context.stop();
    }
}
