package io.gatewise.deployment;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * What a deployed WAR logs on one java.util.logging logger, the way the containers' own logs
 * receive it: the WAR binds SLF4J to java.util.logging, which is global to the JVM.
 */
public final class LogCapture extends Handler {
    /** Held: java.util.logging keeps loggers weakly, and a collected one would lose this handler. */
    private final Logger logger;
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();

    private LogCapture(Logger logger) {
        this.logger = logger;
    }

    /**
     * @param loggerName the logger to listen to, such as {@code io.gatewise.failure}
     * @return a capture, listening until {@link #close()}
     */
    public static LogCapture of(String loggerName) {
        LogCapture capture = new LogCapture(Logger.getLogger(loggerName));
        capture.logger.addHandler(capture);
        return capture;
    }

    /** @return the records so far, oldest first */
    public List<LogRecord> records() {
        return records;
    }

    @Override
    public void publish(LogRecord record) {
        records.add(record);
    }

    @Override
    public void flush() {
        // Records are kept in memory.
    }

    /** Stops listening. */
    @Override
    public void close() {
        logger.removeHandler(this);
    }
}
