package com.kasparro.etl.support;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.LoggerFactory;

/** Every log event of the JVM while attached (all threads), for assertions on log lines. */
public final class LogCapture extends AppenderBase<ILoggingEvent> implements AutoCloseable {

    public record Line(String level, String logger, String message, String text, java.util.Map<String, String> mdc) {
    }

    private final List<Line> lines = new CopyOnWriteArrayList<>();

    public static LogCapture attach() {
        LogCapture capture = new LogCapture();
        capture.setName("test-capture");
        capture.start();
        root().addAppender(capture);
        return capture;
    }

    private static Logger root() {
        return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    @Override
    protected void append(ILoggingEvent event) {
        String message = event.getFormattedMessage();
        String text = message + (event.getThrowableProxy() == null ? ""
                : "\n" + ThrowableProxyUtil.asString(event.getThrowableProxy()));
        lines.add(new Line(event.getLevel().toString(), event.getLoggerName(), message, text,
                event.getMDCPropertyMap()));
    }

    public List<Line> lines() {
        return List.copyOf(lines);
    }

    public List<String> messages() {
        return lines.stream().map(Line::message).toList();
    }

    public List<String> messagesStartingWith(String prefix) {
        return messages().stream().filter(m -> m.startsWith(prefix)).toList();
    }

    /** Everything logged, messages and stack traces, as one text. */
    public String allText() {
        StringBuilder sb = new StringBuilder();
        lines.forEach(l -> sb.append(l.text()).append('\n').append(l.mdc()).append('\n'));
        return sb.toString();
    }

    public void clear() {
        lines.clear();
    }

    @Override
    public void close() {
        root().detachAppender(this);
        stop();
    }
}
