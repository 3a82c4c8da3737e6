package chat.log;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.OutputStreamAppender;
import org.slf4j.LoggerFactory;

/**
 * How the server logs: lines on standard error, in text or JSON ({@link LineEncoder}), each naming the instance
 * (so two replicas' lines can be told apart), and optionally an access log, a line per request, written by a
 * thread of its own. Logback is configured here, in code, from the server's settings; until then (and for servers
 * started in-process, as tests do) {@link DefaultLogging} applies the text format.
 */
public final class LogSetup {
    /** The Logback context property every line names its instance by. */
    public static final String INSTANCE = "instance";
    /** The logger of the access log: its lines go only to the access log. */
    public static final String ACCESS_LOGGER = "chat.access";
    /**
     * Lines waiting for the access log's writer. When it cannot keep up (a slow disk, a stopped reader of standard
     * output), newer lines are dropped rather than requests held up or memory spent.
     */
    static final int ACCESS_QUEUE = 8192;

    private LogSetup() {
    }

    /** Text lines on standard error, and the libraries' info lines (versions, say) left out. */
    static void defaults(LoggerContext context) {
        configure(context, false, Level.INFO, null);
    }

    /**
     * Applies the server's settings to the process's logging, replacing what was there.
     *
     * @param json      JSON lines instead of text
     * @param level     the least level written: error, warn, info or debug
     * @param instance  the name in every line
     * @param accessLog a path for the access log, {@code -} for standard output, or null for none
     */
    public static void apply(boolean json, String level, String instance, String accessLog) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        context.putProperty(INSTANCE, instance);
        configure(context, json, Level.toLevel(level, Level.INFO), accessLog);
    }

    /** Names the instance in every line from now on (once the port is known, when it was picked at start). */
    public static void instance(String instance) {
        ((LoggerContext) LoggerFactory.getILoggerFactory()).putProperty(INSTANCE, instance);
    }

    private static void configure(LoggerContext context, boolean json, Level level, String accessLog) {
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setTarget("System.err");
        start(context, console, "console", json);
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(level);
        root.addAppender(console);
        for (String library : new String[] {"org.xnio", "io.undertow", "org.jboss.threads"}) {
            context.getLogger(library).setLevel(Level.WARN); // their versions at info; only warnings matter here
        }
        Logger access = context.getLogger(ACCESS_LOGGER);
        access.setAdditive(false);
        if (accessLog == null) {
            access.setLevel(Level.OFF);
            return;
        }
        OutputStreamAppender<ILoggingEvent> target;
        if (accessLog.equals("-")) {
            ConsoleAppender<ILoggingEvent> out = new ConsoleAppender<>();
            out.setTarget("System.out");
            target = out;
        } else {
            FileAppender<ILoggingEvent> file = new FileAppender<>();
            file.setFile(accessLog);
            file.setAppend(true);
            target = file;
        }
        start(context, target, "access-target", json);
        AsyncAppender async = new AsyncAppender();
        async.setContext(context);
        async.setName("access");
        async.setQueueSize(ACCESS_QUEUE);
        async.setDiscardingThreshold(0); // every level alike: drop only when the queue is full
        async.setNeverBlock(true);
        async.addAppender(target);
        async.start();
        access.setLevel(Level.INFO);
        access.addAppender(async);
    }

    private static void start(LoggerContext context, OutputStreamAppender<ILoggingEvent> appender, String name,
                              boolean json) {
        LineEncoder encoder = new LineEncoder(json);
        encoder.setContext(context);
        encoder.start();
        appender.setContext(context);
        appender.setName(name);
        appender.setEncoder(encoder);
        appender.start();
    }
}
