package chat.log;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Lines written through a Logback context of the test's own, so the process's logging is left alone. */
class LineEncoderTest {
    /** What a client may put in a path or a channel's name: quotes, a line break, a terminal escape, a NUL. */
    private static final String HOSTILE = "a\"b\\c\nd\u001b[31mred\u0000 \u2028 é";

    private static String written(boolean json, Consumer<Logger> logging) {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(MDC.getMDCAdapter()); // the process's: the one LogContext writes to
        context.putProperty(LogSetup.INSTANCE, "replica-7");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LineEncoder encoder = new LineEncoder(json);
        encoder.setContext(context);
        encoder.start();
        OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
        appender.setContext(context);
        appender.setEncoder(encoder);
        appender.setOutputStream(out);
        appender.start();
        Logger logger = context.getLogger("chat.server.Example");
        logger.addAppender(appender);
        logging.accept(logger);
        appender.stop();
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aJsonLineIsOneValidObjectWithTheContextWhateverTheMessageHolds() {
        String text = written(true, logger -> {
            LogContext.enter("abc-123", "post");
            try {
                logger.atWarn().addKeyValue("status", 404).addKeyValue("path", "/" + HOSTILE)
                        .addKeyValue("error", (Object) null).log("refused {}", HOSTILE);
            } finally {
                LogContext.leave();
            }
        });
        assertTrue(text.endsWith("\n"), text);
        assertEquals(1, text.strip().lines().count(), "one line: " + text);
        JsonObject line = JsonParser.parseString(text).getAsJsonObject();
        assertEquals("WARN", line.get("level").getAsString());
        assertEquals("chat.server.Example", line.get("logger").getAsString());
        assertEquals("replica-7", line.get("instance").getAsString());
        assertEquals("abc-123", line.get("request_id").getAsString());
        assertEquals("post", line.get("call").getAsString());
        assertEquals("refused " + HOSTILE, line.get("message").getAsString(), "the message, exactly");
        assertEquals(404, line.get("status").getAsInt(), "a number stays a number");
        assertEquals("/" + HOSTILE, line.get("path").getAsString());
        assertFalse(line.has("error"), "a field without a value is left out");
        assertTrue(line.get("time").getAsString().matches("\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z"), line.toString());
        assertTrue(MDC.getCopyOfContextMap() == null || MDC.getCopyOfContextMap().isEmpty(), "the context is left");
    }

    @Test
    void aTextLineEscapesControlCharactersSoItStaysOneLineAndNoEscapeReachesATerminal() {
        String text = written(false, logger -> {
            LogContext.enter("abc-123", null);
            try {
                logger.atInfo().addKeyValue("path", "/" + HOSTILE).log(HOSTILE);
            } finally {
                LogContext.leave();
            }
        });
        assertEquals(1, text.strip().lines().count(), "one line: " + text);
        assertFalse(text.strip().chars().anyMatch(c -> c < 0x20 || c == 0x2028), "no control character: " + text);
        assertTrue(text.contains(" INFO Example [replica-7 request_id=abc-123] a\"b\\c\\u000ad\\u001b[31mred\\u0000 "),
                text);
        assertTrue(text.contains(" path=/a\"b"), text);
    }

    @Test
    void aStackTraceFollowsInJsonAsAFieldAndInTextOnTheNextLines() {
        IllegalStateException failure = new IllegalStateException("broken");
        String json = written(true, logger -> logger.error("unexpected", failure));
        assertTrue(JsonParser.parseString(json).getAsJsonObject().get("error").getAsString()
                .contains("IllegalStateException: broken"), json);
        String text = written(false, logger -> logger.error("unexpected", failure));
        assertTrue(text.contains("unexpected\njava.lang.IllegalStateException: broken"), text);
    }
}
