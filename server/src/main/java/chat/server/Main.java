package chat.server;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;

import chat.ws.SocketLimits;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * The command line: flags, else CHAT_* environment variables, else defaults, into one {@link Config}; then the
 * server runs until SIGTERM or SIGINT, shuts down gracefully and exits 0. The only caller of System.exit.
 */
@Command(name = "chat-server", mixinStandardHelpOptions = true, sortOptions = false,
        description = "A chat server speaking the JSON protocol of spec/protocol.md.",
        footer = "Every option can also be set by the environment variable in brackets.")
public final class Main implements Callable<Integer> {
    static final int EXIT_OK = 0;
    static final int EXIT_FAILED_TO_START = 1;
    static final int EXIT_USAGE = 2;

    @Option(names = "--host", defaultValue = "${env:CHAT_HOST:-127.0.0.1}",
            description = "Address to bind; 0.0.0.0 for all interfaces [CHAT_HOST] (default: ${DEFAULT-VALUE})")
    String host;

    @Option(names = "--port", defaultValue = "${env:CHAT_PORT:-8080}",
            description = "Port; 0 picks a free one [CHAT_PORT] (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--store", defaultValue = "${env:CHAT_STORE:-memory}",
            description = "Where state lives: memory, or redis://host:port[/db] to share it between replicas "
                    + "[CHAT_STORE] (default: ${DEFAULT-VALUE})")
    String store;

    @Option(names = "--store-timeout", defaultValue = "${env:CHAT_STORE_TIMEOUT:-1s}", converter = DurationConverter.class,
            description = "Longest one Redis call may take before the call fails with 503 [CHAT_STORE_TIMEOUT] (default: ${DEFAULT-VALUE})")
    Duration storeTimeout;

    @Option(names = "--store-connections", defaultValue = "${env:CHAT_STORE_CONNECTIONS:-8}",
            description = "Connections to Redis, and threads calling it [CHAT_STORE_CONNECTIONS] (default: ${DEFAULT-VALUE})")
    int storeConnections;

    @Option(names = "--session-idle", defaultValue = "${env:CHAT_SESSION_IDLE:-30m}", converter = DurationConverter.class,
            description = "A session unused this long expires, e.g. 30m, 2h [CHAT_SESSION_IDLE] (default: ${DEFAULT-VALUE})")
    Duration sessionIdle;

    @Option(names = "--window", defaultValue = "${env:CHAT_WINDOW:-100}",
            description = "Messages kept per channel [CHAT_WINDOW] (default: ${DEFAULT-VALUE})")
    int window;

    @Option(names = "--max-message", defaultValue = "${env:CHAT_MAX_MESSAGE:-4096}",
            description = "Characters in one message [CHAT_MAX_MESSAGE] (default: ${DEFAULT-VALUE})")
    int maxMessage;

    @Option(names = "--max-body", defaultValue = "${env:CHAT_MAX_BODY:-65536}",
            description = "Bytes in one request body [CHAT_MAX_BODY] (default: ${DEFAULT-VALUE})")
    int maxBody;

    @Option(names = "--bcrypt-cost", defaultValue = "${env:CHAT_BCRYPT_COST:-10}",
            description = "bcrypt work factor for passwords, 4-31 [CHAT_BCRYPT_COST] (default: ${DEFAULT-VALUE})")
    int bcryptCost;

    @Option(names = "--max-users", defaultValue = "${env:CHAT_MAX_USERS:-1000000}",
            description = "Registered usernames [CHAT_MAX_USERS] (default: ${DEFAULT-VALUE})")
    long maxUsers;

    @Option(names = "--max-sessions", defaultValue = "${env:CHAT_MAX_SESSIONS:-1000000}",
            description = "Live sessions [CHAT_MAX_SESSIONS] (default: ${DEFAULT-VALUE})")
    long maxSessions;

    @Option(names = "--max-channels", defaultValue = "${env:CHAT_MAX_CHANNELS:-10000}",
            description = "Channels [CHAT_MAX_CHANNELS] (default: ${DEFAULT-VALUE})")
    long maxChannels;

    @Option(names = "--max-connections", defaultValue = "${env:CHAT_MAX_CONNECTIONS:-10000}",
            description = "Open connections [CHAT_MAX_CONNECTIONS] (default: ${DEFAULT-VALUE})")
    int maxConnections;

    @Option(names = "--io-threads", defaultValue = "${env:CHAT_IO_THREADS:-0}",
            description = "IO threads; 0 = one per core [CHAT_IO_THREADS] (default: ${DEFAULT-VALUE})")
    int ioThreads;

    @Option(names = "--hash-threads", defaultValue = "${env:CHAT_HASH_THREADS:-0}",
            description = "Password hashing threads; 0 = one per core [CHAT_HASH_THREADS] (default: ${DEFAULT-VALUE})")
    int hashThreads;

    @Option(names = "--request-timeout", defaultValue = "${env:CHAT_REQUEST_TIMEOUT:-10s}", converter = DurationConverter.class,
            description = "Longest time to receive a request's headers [CHAT_REQUEST_TIMEOUT] (default: ${DEFAULT-VALUE})")
    Duration requestTimeout;

    @Option(names = "--idle-connection-timeout", defaultValue = "${env:CHAT_IDLE_CONNECTION_TIMEOUT:-5m}",
            converter = DurationConverter.class,
            description = "Close connections from which nothing is read this long [CHAT_IDLE_CONNECTION_TIMEOUT] (default: ${DEFAULT-VALUE})")
    Duration idleConnectionTimeout;

    @Option(names = "--shutdown-timeout", defaultValue = "${env:CHAT_SHUTDOWN_TIMEOUT:-10s}", converter = DurationConverter.class,
            description = "How long shutdown waits for requests in flight [CHAT_SHUTDOWN_TIMEOUT] (default: ${DEFAULT-VALUE})")
    Duration shutdownTimeout;

    @Option(names = "--ws-max-subscriptions", defaultValue = "${env:CHAT_WS_MAX_SUBSCRIPTIONS:-100}",
            description = "Channels one WebSocket may subscribe to [CHAT_WS_MAX_SUBSCRIPTIONS] (default: ${DEFAULT-VALUE})")
    int wsMaxSubscriptions;

    @Option(names = "--ws-max-frame", defaultValue = "${env:CHAT_WS_MAX_FRAME:-65536}",
            description = "Bytes in one incoming WebSocket frame [CHAT_WS_MAX_FRAME] (default: ${DEFAULT-VALUE})")
    int wsMaxFrame;

    @Option(names = "--ws-queue-events", defaultValue = "${env:CHAT_WS_QUEUE_EVENTS:-1000}",
            description = "Frames waiting for a slow socket before it is closed [CHAT_WS_QUEUE_EVENTS] (default: ${DEFAULT-VALUE})")
    int wsQueueEvents;

    @Option(names = "--ws-queue-bytes", defaultValue = "${env:CHAT_WS_QUEUE_BYTES:-1048576}",
            description = "Bytes waiting likewise [CHAT_WS_QUEUE_BYTES] (default: ${DEFAULT-VALUE})")
    long wsQueueBytes;

    @Option(names = "--ws-ping", defaultValue = "${env:CHAT_WS_PING:-30s}", converter = DurationConverter.class,
            description = "How often each WebSocket is pinged [CHAT_WS_PING] (default: ${DEFAULT-VALUE})")
    Duration wsPing;

    @Option(names = "--ws-silence", defaultValue = "${env:CHAT_WS_SILENCE:-90s}", converter = DurationConverter.class,
            description = "Close a WebSocket silent this long [CHAT_WS_SILENCE] (default: ${DEFAULT-VALUE})")
    Duration wsSilence;

    private static final Logger log = LoggerFactory.getLogger(Main.class);

    public static void main(String[] args) {
        // Undertow logs through jboss-logging; send it to slf4j like everything else.
        System.setProperty("org.jboss.logging.provider", "slf4j");
        System.exit(new CommandLine(new Main()).execute(args));
    }

    Config config() {
        return Config.defaults()
                .host(host).port(port).store(store).storeTimeout(storeTimeout).storeConnections(storeConnections)
                .sessionIdleTimeout(sessionIdle).windowSize(window)
                .maxMessageLength(maxMessage).maxBodyBytes(maxBody).bcryptCost(bcryptCost).maxUsers(maxUsers)
                .maxSessions(maxSessions).maxChannels(maxChannels).maxConnections(maxConnections)
                .ioThreads(ioThreads).hashThreads(hashThreads).requestTimeout(requestTimeout)
                .idleConnectionTimeout(idleConnectionTimeout).shutdownTimeout(shutdownTimeout)
                .socketLimits(new SocketLimits(wsMaxSubscriptions, wsMaxFrame, wsQueueEvents, wsQueueBytes, wsPing,
                        wsSilence))
                .build();
    }

    @Override
    public Integer call() throws InterruptedException {
        Config config;
        try {
            config = config();
        } catch (IllegalArgumentException e) {
            System.err.println("chat-server: " + e.getMessage());
            return EXIT_USAGE;
        }
        CountDownLatch stop = new CountDownLatch(1);
        Signal.handle(new Signal("TERM"), signal -> stop.countDown());
        Signal.handle(new Signal("INT"), signal -> stop.countDown());
        ChatServer server;
        try {
            server = ChatServer.start(config);
        } catch (RuntimeException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            log.error("cannot listen on {}:{}: {}", config.host(), config.port(), cause.getMessage());
            return EXIT_FAILED_TO_START;
        }
        stop.await();
        log.info("shutting down");
        server.close();
        return EXIT_OK;
    }

    /** Durations as people write them: 500ms, 10s, 30m, 2h, 1d, or ISO-8601 (PT30M). */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String text) {
            String value = text.trim().toLowerCase();
            try {
                if (value.startsWith("p")) {
                    return Duration.parse(value.toUpperCase());
                }
                if (value.endsWith("ms")) {
                    return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
                }
                long amount = Long.parseLong(value.substring(0, value.length() - 1));
                switch (value.charAt(value.length() - 1)) {
                    case 's': return Duration.ofSeconds(amount);
                    case 'm': return Duration.ofMinutes(amount);
                    case 'h': return Duration.ofHours(amount);
                    case 'd': return Duration.ofDays(amount);
                    default: break;
                }
            } catch (RuntimeException e) {
                // fall through to the message below
            }
            throw new CommandLine.TypeConversionException("not a duration: '" + text + "' (try 500ms, 10s, 30m, 2h)");
        }
    }
}
