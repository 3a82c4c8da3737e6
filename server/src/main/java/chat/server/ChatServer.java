package chat.server;

import chat.config.Config;
import chat.config.Settings;
import chat.core.ChatException;
import chat.core.ChatService;
import chat.core.Passwords;
import chat.core.SessionKeys;
import chat.push.ChannelSubscribers;
import chat.push.PushEvents;
import chat.push.SessionSockets;
import chat.redis.RedisAddress;
import chat.redis.RedisConnections;
import chat.redis.RedisEvents;
import chat.redis.RedisStore;
import chat.store.ChatStore;
import chat.store.InMemoryStore;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.Options;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A running chat server: {@link #start(Config)}, {@link #port()}, {@link #close()}. All wiring is here:
 * store, core, calls, routes, Undertow and its limits.
 */
public final class ChatServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ChatServer.class);

    private final Config config;
    private final Undertow undertow;
    private final ShutdownGate gate;
    private final SocketEndpoint sockets;
    private final ChannelSubscribers subscribers;
    private final ChatStore store;
    private final RedisEvents redisEvents; // null with the store in memory: there are no other replicas to hear
    private final ExecutorService hashing;
    private final ExecutorService storeWork; // null with the store in memory: calls run on the IO threads
    private final ExecutorService delivery; // likewise
    private final ScheduledExecutorService housekeeping;

    private ChatServer(Config config) {
        this.config = config;
        int cores = Runtime.getRuntime().availableProcessors();
        this.store = openStore(config);
        SessionSockets sessionSockets = new SessionSockets();
        if (store.blocks()) {
            this.storeWork = Executors.newFixedThreadPool(config.get(Settings.STORE_CONNECTIONS), daemon("chat-store"));
            this.delivery = Executors.newSingleThreadExecutor(daemon("chat-push"));
            this.subscribers = ChannelSubscribers.on(delivery, store);
        } else {
            this.storeWork = null;
            this.delivery = null;
            this.subscribers = ChannelSubscribers.onIoThreads(store);
        }
        PushEvents push = new PushEvents(subscribers, sessionSockets);
        // With Redis, every replica's sockets hear of every post and logoff through it, this replica's included.
        this.redisEvents = store instanceof RedisStore redis
                ? new RedisEvents(redis.connections(), push, subscribers::catchUpAll) : null;
        ChatService chat = new ChatService(store, new Passwords(config.get(Settings.BCRYPT_COST)), new SessionKeys(),
                Json::messageFields, config, redisEvents != null ? redisEvents : push);
        this.hashing = Executors.newFixedThreadPool(orDefault(config.get(Settings.HASH_THREADS), cores),
                daemon("chat-hash"));
        this.housekeeping = Executors.newSingleThreadScheduledExecutor(daemon("chat-housekeeping"));
        CallTable calls = new CallTable(new SessionCalls(chat), new ChannelCalls(chat), new MessageCalls(chat), hashing,
                storeWork);
        this.sockets = new SocketEndpoint(store, calls, storeWork, subscribers, sessionSockets,
                SocketLimits.from(config));
        this.gate = new ShutdownGate(new Routes(calls, config.get(Settings.MAX_BODY), store::checkAvailable, storeWork,
                sockets));
        int ioThreads = orDefault(config.get(Settings.IO_THREADS), cores);
        this.undertow = Undertow.builder()
                .addHttpListener(config.get(Settings.PORT), config.get(Settings.HOST))
                .setIoThreads(ioThreads)
                .setWorkerThreads(ioThreads) // our calls never block a worker; slow work has its own pool
                // A backstop only: BodyCollector enforces the limit and answers 413 (after reading and discarding up
                // to its drain limit); Undertow would drop the connection.
                .setServerOption(UndertowOptions.MAX_ENTITY_SIZE,
                        BodyCollector.drainLimit(config.get(Settings.MAX_BODY)) + 64 * 1024)
                .setServerOption(UndertowOptions.MAX_HEADER_SIZE, 16 * 1024)
                .setServerOption(UndertowOptions.REQUEST_PARSE_TIMEOUT, millis(config.get(Settings.REQUEST_TIMEOUT)))
                .setServerOption(UndertowOptions.NO_REQUEST_TIMEOUT,
                        millis(config.get(Settings.IDLE_CONNECTION_TIMEOUT)))
                // Stalled or idle connections end through READ_TIMEOUT, not UndertowOptions.IDLE_TIMEOUT: the latter
                // re-arms a timer on every read and write, which doubled the p99 of WebSocket fan-out (BENCHMARKS.md).
                .setSocketOption(Options.READ_TIMEOUT, millis(config.get(Settings.IDLE_CONNECTION_TIMEOUT)))
                .setSocketOption(Options.CONNECTION_HIGH_WATER, config.get(Settings.MAX_CONNECTIONS))
                .setSocketOption(Options.CONNECTION_LOW_WATER, config.get(Settings.MAX_CONNECTIONS))
                .setSocketOption(Options.BACKLOG, 1024)
                .setHandler(gate)
                .build();
    }

    private static ChatStore openStore(Config config) {
        if (config.get(Settings.STORE).startsWith("redis://")) {
            RedisConnections redis = new RedisConnections(RedisAddress.parse(config.get(Settings.STORE)),
                    config.get(Settings.STORE_TIMEOUT), config.get(Settings.STORE_CONNECTIONS));
            return new RedisStore(redis, Clock.systemUTC(), config.get(Settings.SESSION_IDLE),
                    config.get(Settings.WINDOW));
        }
        return new InMemoryStore(Clock.systemUTC(), config.get(Settings.SESSION_IDLE), config.get(Settings.WINDOW));
    }

    /**
     * Binds and starts serving; throws if the address cannot be bound. A store that does not answer yet is no
     * reason not to start: calls fail with 503 and /ready says so until it does.
     */
    public static ChatServer start(Config config) {
        ChatServer server = new ChatServer(config);
        try {
            server.undertow.start();
        } catch (RuntimeException e) {
            server.stopThreads();
            server.store.close();
            throw e;
        }
        if (server.redisEvents != null) {
            server.redisEvents.start();
        }
        try {
            server.store.checkAvailable();
        } catch (ChatException e) {
            log.warn("the store at {} does not answer yet; calls fail with 503 until it does", storeName(config));
        }
        long sweepEvery = Math.max(1_000, Math.min(60_000, config.get(Settings.SESSION_IDLE).toMillis() / 2));
        server.housekeeping.scheduleWithFixedDelay(server::sweep, sweepEvery, sweepEvery, TimeUnit.MILLISECONDS);
        SocketLimits socketLimits = SocketLimits.from(config);
        long keepAliveEvery = Math.max(50, Math.min(5_000,
                Math.min(socketLimits.pingInterval().toMillis(), socketLimits.silenceTimeout().toMillis()) / 3));
        server.housekeeping.scheduleWithFixedDelay(server::keepSocketsAlive, keepAliveEvery, keepAliveEvery,
                TimeUnit.MILLISECONDS);
        log.info("chat server listening on {} (store {}, window {}, messages up to {} characters, bodies up to {} "
                        + "bytes, sessions idle out after {}, bcrypt cost {}, at most {} channels, {} sessions, {} users)",
                server.url(), storeName(config), config.get(Settings.WINDOW), config.get(Settings.MAX_MESSAGE),
                config.get(Settings.MAX_BODY), config.get(Settings.SESSION_IDLE), config.get(Settings.BCRYPT_COST),
                config.get(Settings.MAX_CHANNELS), config.get(Settings.MAX_SESSIONS), config.get(Settings.MAX_USERS));
        return server;
    }

    /** The port actually bound: the configured one, or the free one picked for port 0. */
    public int port() {
        return ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
    }

    /** The base URL of the server, e.g. http://127.0.0.1:8080. */
    public String url() {
        String configured = config.get(Settings.HOST);
        String host = configured.contains(":") ? "[" + configured + "]" : configured;
        return "http://" + host + ":" + port();
    }

    /** How many WebSockets are open now. */
    int openSockets() {
        return sockets.openCount();
    }

    /** How many pings the keep-alive has queued to sockets so far. */
    long pingsSent() {
        return sockets.pingsSent();
    }

    /** How many HTTP requests have begun and not yet completed (WebSocket handshakes included). */
    int requestsInFlight() {
        return gate.inFlight();
    }

    /**
     * Refuses new requests (503 SHUTTING_DOWN, connection closed), lets requests in flight finish (up to the
     * shutdown timeout), then stops. Undertow's ListenerInfo.suspend() is not used: it also closes open
     * connections, cutting off the very requests we wait for.
     */
    @Override
    public void close() {
        sockets.closeAll();
        try {
            if (!gate.closeAndAwait(config.get(Settings.SHUTDOWN_TIMEOUT))) {
                log.warn("requests still in flight after {}; stopping anyway", config.get(Settings.SHUTDOWN_TIMEOUT));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        undertow.stop();
        if (redisEvents != null) {
            redisEvents.close();
        }
        stopThreads();
        store.close();
        log.info("chat server stopped");
    }

    private void stopThreads() {
        hashing.shutdownNow();
        housekeeping.shutdownNow();
        if (storeWork != null) {
            storeWork.shutdownNow();
            delivery.shutdownNow();
        }
    }

    /** The store for the log: a Redis URL without its password. */
    private static String storeName(Config config) {
        String store = config.get(Settings.STORE);
        return store.startsWith("redis://") ? RedisAddress.parse(store).toString() : store;
    }

    private void sweep() {
        try {
            int removed = store.sweepExpiredSessions();
            if (removed > 0) {
                log.debug("removed {} expired sessions", removed);
            }
        } catch (ChatException e) {
            log.debug("session sweep skipped: {}", e.reason());
        } catch (RuntimeException e) {
            log.error("session sweep failed", e);
        }
    }

    private void keepSocketsAlive() {
        try {
            sockets.keepAlive();
            if (redisEvents != null) {
                redisEvents.keepAlive();
            }
        } catch (RuntimeException e) {
            log.error("WebSocket keep-alive failed", e);
        }
    }

    private static int orDefault(int configured, int automatic) {
        return configured > 0 ? configured : automatic;
    }

    private static int millis(Duration duration) {
        return (int) Math.min(Integer.MAX_VALUE, duration.toMillis());
    }

    private static ThreadFactory daemon(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
