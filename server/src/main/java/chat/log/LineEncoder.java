package chat.log;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import com.google.gson.stream.JsonWriter;
import org.slf4j.event.KeyValuePair;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

/**
 * One log event as one line, in either format, with the same fields: time, level, logger, the server's instance
 * name, the request's id and call where there is one, the message, the event's key-value pairs (the access log's
 * fields), and a stack trace where there is one.
 *
 * <p>Messages can carry text a client sent (a channel's name in a warning, a path in the access log). JSON lines
 * are written by Gson, so each is valid JSON whatever it holds; in text lines control characters are escaped, so
 * a line is one line and no client's text reaches an operator's terminal as control sequences.
 */
public final class LineEncoder extends EncoderBase<ILoggingEvent> {
    private final boolean json;

    public LineEncoder(boolean json) {
        this.json = json;
    }

    @Override
    public byte[] headerBytes() {
        return null;
    }

    @Override
    public byte[] footerBytes() {
        return null;
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        String line = json ? json(event) : text(event);
        return line.getBytes(StandardCharsets.UTF_8);
    }

    /** ISO 8601 in UTC to the millisecond, as a person reads it and a log shipper parses it. */
    private static String time(ILoggingEvent event) {
        return event.getInstant().truncatedTo(ChronoUnit.MILLIS).toString();
    }

    private String instance(ILoggingEvent event) {
        return event.getLoggerContextVO().getPropertyMap().get(LogSetup.INSTANCE);
    }

    private String json(ILoggingEvent event) {
        StringWriter out = new StringWriter(256);
        try (JsonWriter writer = new JsonWriter(out)) {
            writer.beginObject();
            writer.name("time").value(time(event));
            writer.name("level").value(event.getLevel().toString());
            writer.name("logger").value(event.getLoggerName());
            writer.name("instance").value(instance(event));
            Map<String, String> context = event.getMDCPropertyMap();
            for (String field : List.of(LogContext.REQUEST_ID, LogContext.CALL)) {
                String value = context.get(field);
                if (value != null) {
                    writer.name(field).value(value);
                }
            }
            writer.name("message").value(event.getFormattedMessage());
            List<KeyValuePair> pairs = event.getKeyValuePairs();
            if (pairs != null) {
                for (KeyValuePair pair : pairs) {
                    if (pair.value instanceof Number number) {
                        writer.name(pair.key).value(number);
                    } else if (pair.value != null) {
                        writer.name(pair.key).value(pair.value.toString());
                    }
                }
            }
            IThrowableProxy thrown = event.getThrowableProxy();
            if (thrown != null) {
                writer.name("error").value(ThrowableProxyUtil.asString(thrown));
            }
            writer.endObject();
        } catch (IOException e) {
            throw new UncheckedIOException("a StringWriter does not fail", e);
        }
        return out.append('\n').toString();
    }

    /**
     * {@code 2026-12-02T16:03:51.958Z WARN ChannelSubscribers [replica-1 request_id=... call=post] message k=v}; the
     * brackets only when there is an instance or a request.
     */
    private String text(ILoggingEvent event) {
        StringBuilder line = new StringBuilder(160);
        String logger = event.getLoggerName();
        line.append(time(event)).append(' ').append(event.getLevel()).append(' ')
                .append(logger, logger.lastIndexOf('.') + 1, logger.length()).append(' ');
        int opened = line.length();
        String instance = instance(event);
        if (instance != null) {
            escape(instance, line);
        }
        Map<String, String> context = event.getMDCPropertyMap();
        for (String field : List.of(LogContext.REQUEST_ID, LogContext.CALL)) {
            String value = context.get(field);
            if (value != null) {
                escape(field + "=" + value, line.length() > opened ? line.append(' ') : line);
            }
        }
        if (line.length() > opened) {
            line.insert(opened, '[').append("] ");
        }
        escape(event.getFormattedMessage(), line);
        List<KeyValuePair> pairs = event.getKeyValuePairs();
        if (pairs != null) {
            for (KeyValuePair pair : pairs) {
                if (pair.value != null) {
                    line.append(' ').append(pair.key).append('=');
                    escape(pair.value.toString(), line);
                }
            }
        }
        IThrowableProxy thrown = event.getThrowableProxy();
        if (thrown != null) {
            line.append('\n').append(ThrowableProxyUtil.asString(thrown).stripTrailing()); // a stack trace is ours
        }
        return line.append('\n').toString();
    }

    /** Appends the text with control characters (line breaks, escape sequences) written as \\uXXXX. */
    static void escape(String text, StringBuilder line) {
        if (text == null) {
            line.append('-');
            return;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == '\u2028' || c == '\u2029') {
                line.append(String.format("\\u%04x", (int) c));
            } else {
                line.append(c);
            }
        }
    }
}
