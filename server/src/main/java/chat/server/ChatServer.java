package chat.server;

import chat.api.BoundedPool;
import chat.api.CallTable;
import chat.api.Json;
import chat.api.UnsentAnswers;
import chat.client.ClientAddresses;
import chat.config.Config;
import chat.config.ListenAddress;
import chat.config.Settings;
import chat.config.WebOrigins;
import chat.core.ChatService;
import chat.core.Passwords;
import chat.core.SessionKeys;
import chat.error.ChatException;
import chat.limit.LogonLimits;
import chat.limit.RateLimits;
import chat.metrics.CallMeters;
import chat.metrics.Metrics;
import chat.core.ChatEvents;
import chat.push.ChannelSubscribers;
import chat.push.Presence;
import chat.push.PushEvents;
import chat.push.SessionSubscribers;
import chat.store.ChatStore;
import chat.ws.Frame;
import chat.ws.FrameEvents;
import chat.ws.SocketEndpoint;
import chat.ws.SocketLimits;
import chat.ws.SocketMeters;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.OptionMap;
import org.xnio.Options;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A running chat server: {@link #start(Config)}, {@link #port()}, {@link #close()}. All wiring is here:
 * store, threads, core, push, calls, routes, Undertow and its limits (docs/ARCHITECTURE.md draws it).
 */
public final class ChatServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ChatServer.class);

    private final Config config;
    private final Backend backend;
    private final ChatStore store;
    private final Workers workers;
    private final SocketEndpoint sockets;
    private final ShutdownGate gate;
    private final UnsentAnswers unsent;
    private final AcceptedConnections accepted;
    private final ConnectionActivity root;
    private final Metrics metrics;
    private final Presence presence; // null when --presence is false
    private HttpListener listener; // set once, as start binds
    private MetricsListener metricsListener; // likewise, when --metrics-listen is set

    private ChatServer(Config config) {
        this.config = config;
        int cores = Runtime.getRuntime().availableProcessors();
        // Off unless asked for: then nothing is registered, and every instrument is a no-op (chat.metrics.Metrics).
        this.metrics = config.get(Settings.METRICS_LISTEN).isEmpty() ? Metrics.OFF : Metrics.on();
        this.backend = Backend.open(config, metrics);
        this.store = backend.store;
        this.workers = new Workers(store.blocks(), orDefault(config.get(Settings.HASH_THREADS), cores),
                config.get(Settings.STORE_CONNECTIONS), config.get(Settings.LOGON_QUEUE), config.get(Settings.LOGON_WAIT),
                metrics);
        SocketMeters socketMeters = new SocketMeters(metrics);
        ChannelSubscribers<Frame> subscribers = FrameEvents.subscribers(store.unchecked(), workers.pushDelivery(),
                socketMeters);
        SessionSubscribers sessions = new SessionSubscribers();
        ChatEvents events = backend.events(new PushEvents(subscribers, sessions), subscribers::catchUpAll);
        ChatService chat = new ChatService(store, new Passwords(config.get(Settings.BCRYPT_COST)), new SessionKeys(),
                Json::messageFields, config, events, new LogonLimits(RateLimits.from(config), backend.buckets));
        this.presence = backend.presence == null ? null
                : new Presence(backend.presence, events, workers.storeWork()::run);
        CallTable calls = new CallTable(chat, workers.logon(), workers.storeWork(), new CallMeters(metrics),
                backend.presence);
        Refusals refusals = new Refusals(metrics);
        ClientAddresses clients = ClientAddresses.from(config);
        this.unsent = new UnsentAnswers(config.get(Settings.MAX_UNSENT));
        this.sockets = new SocketEndpoint(chat, calls, workers.storeWork(), subscribers, sessions, presence,
                store.unchecked(),
                SocketLimits.from(config), unsent, socketMeters);
        RequestClients requestClients = new RequestClients(clients);
        this.gate = new ShutdownGate(new RequestHeadLimits(new Routes(calls, config.get(Settings.MAX_BODY),
                config.get(Settings.BODY_TIMEOUT), backend::checkReady, workers.storeWork(), sockets,
                new AnswerWriter(unsent, config.get(Settings.WRITE_TIMEOUT), refusals), requestClients,
                refusals, config.get(Settings.WEB) ? new WebPage() : null), refusals), refusals);
        this.accepted = new AcceptedConnections(clients, config.get(Settings.MAX_CLIENT_CONNECTIONS),
                config.get(Settings.MAX_CONNECTIONS), refusals);
        AccessLog accessLog = config.get(Settings.ACCESS_LOG).isEmpty() ? null : new AccessLog(requestClients);
        List<String> corsOrigins = WebOrigins.parseList(config.get(Settings.CORS_ORIGINS));
        HttpHandler requests = corsOrigins.isEmpty() ? gate : new CrossOrigin(corsOrigins, gate);
        this.root = new ConnectionActivity(accepted, new RequestIds(accessLog, requests));
    }

    /** Undertow's options for every connection. */
    private static OptionMap serverOptions(Config config) {
        return OptionMap.builder()
                // A backstop only: BodyCollector enforces the limit and answers 413 (after reading and discarding up
                // to its drain limit); Undertow would drop the connection.
                .set(UndertowOptions.MAX_ENTITY_SIZE, BodyCollector.drainLimit(config.get(Settings.MAX_BODY)) + 64 * 1024)
                // Undertow's own limits on a request's head, past which it answers a bare 400; RequestHeadLimits
                // answers 414 and 431 with the envelope below them.
                .set(UndertowOptions.MAX_HEADER_SIZE, RequestHeadLimits.UNDERTOW_MAX_HEAD_BYTES)
                .set(UndertowOptions.MAX_HEADERS, RequestHeadLimits.UNDERTOW_MAX_HEADERS)
                .set(UndertowOptions.REQUEST_PARSE_TIMEOUT, millis(config.get(Settings.REQUEST_TIMEOUT)))
                .set(UndertowOptions.NO_REQUEST_TIMEOUT, millis(config.get(Settings.IDLE_CONNECTION_TIMEOUT)))
                .set(Responses.WRITE_TIMEOUT, millis(config.get(Settings.WRITE_TIMEOUT)))
                .getMap();
    }

    /** XNIO's options for the listening socket and every connection. */
    private static OptionMap socketOptions(Config config) {
        return OptionMap.builder()
                // Stalled or idle connections end through READ_TIMEOUT, not UndertowOptions.IDLE_TIMEOUT: the latter
                // re-arms a timer on every read and write, which doubled the p99 of WebSocket fan-out (BENCHMARKS.md).
                .set(Options.READ_TIMEOUT, millis(config.get(Settings.IDLE_CONNECTION_TIMEOUT)))
                .set(Options.CONNECTION_HIGH_WATER, config.get(Settings.MAX_CONNECTIONS))
                .set(Options.CONNECTION_LOW_WATER, config.get(Settings.MAX_CONNECTIONS))
                .set(Options.BACKLOG, 1024)
                .getMap();
    }

    /**
     * Binds and starts serving; throws if the address cannot be bound. A store that does not answer yet is no
     * reason not to start: calls fail with 503 and /ready says so until it does.
     */
    public static ChatServer start(Config config) {
        ChatServer server = new ChatServer(config);
        try {
            server.listener = HttpListener.start(config.get(Settings.HOST), config.get(Settings.PORT),
                    orDefault(config.get(Settings.IO_THREADS), Runtime.getRuntime().availableProcessors()),
                    serverOptions(config), socketOptions(config), server.root, server.accepted);
            if (server.metrics.isOn()) {
                server.metricsListener = MetricsListener.start(
                        ListenAddress.parse(config.get(Settings.METRICS_LISTEN)), server.metrics);
            }
        } catch (RuntimeException e) {
            if (server.listener != null) {
                server.listener.close();
            }
            server.stop();
            throw e;
        }
        server.backend.start();
        try {
            server.store.checkAvailable();
        } catch (ChatException e) {
            log.warn("the store at {} does not answer yet; calls fail with 503 until it does", Backend.describe(config));
        }
        long sweepEvery = Math.max(1_000, Math.min(60_000, config.get(Settings.SESSION_IDLE).toMillis() / 2));
        server.workers.housekeeping().scheduleWithFixedDelay(server::sweep, sweepEvery, sweepEvery, TimeUnit.MILLISECONDS);
        SocketLimits socketLimits = SocketLimits.from(config);
        // Also renews the sessions of open sockets: three times per idle timeout, so that none lapses between two.
        long keepAliveEvery = Math.max(50, Math.min(5_000, Math.min(config.get(Settings.SESSION_IDLE).toMillis(),
                Math.min(socketLimits.pingInterval().toMillis(), socketLimits.silenceTimeout().toMillis())) / 3));
        server.workers.housekeeping().scheduleWithFixedDelay(server::keepSocketsAlive, keepAliveEvery, keepAliveEvery,
                TimeUnit.MILLISECONDS);
        if (server.presence != null) {
            // A quarter of the grace period: a leave is announced at most that long after the grace has passed.
            long sweepPresenceEvery = Math.max(20, config.get(Settings.PRESENCE_GRACE).toMillis() / 4);
            server.workers.housekeeping().scheduleWithFixedDelay(server::sweepPresence, sweepPresenceEvery,
                    sweepPresenceEvery, TimeUnit.MILLISECONDS);
            long refreshEvery = Math.max(100, config.get(Settings.PRESENCE_EXPIRY).toMillis() / 3);
            server.workers.housekeeping().scheduleWithFixedDelay(server::refreshPresence, refreshEvery, refreshEvery,
                    TimeUnit.MILLISECONDS);
        }
        log.info("chat server listening on {} (store {}, window {}, messages up to {} characters, bodies up to {} "
                        + "bytes, sessions idle out after {}, bcrypt cost {}, at most {} channels, {} sessions, {} users, {})",
                server.url(), Backend.describe(config), config.get(Settings.WINDOW), config.get(Settings.MAX_MESSAGE), config.get(Settings.MAX_BODY),
                config.get(Settings.SESSION_IDLE), config.get(Settings.BCRYPT_COST), config.get(Settings.MAX_CHANNELS), config.get(Settings.MAX_SESSIONS),
                config.get(Settings.MAX_USERS), server.backend.describeMemory());
        log.info("clients: at most {} connections per address, {} WebSockets per session and {} per address, bodies "
                        + "within {}; {}", config.get(Settings.MAX_CLIENT_CONNECTIONS),
                config.get(Settings.WS_MAX_PER_SESSION), config.get(Settings.WS_MAX_PER_CLIENT),
                config.get(Settings.BODY_TIMEOUT), server.accepted.clients().describe());
        log.info("bounds: {} connections in all, {} logons waiting at most {} each, {} bytes of answers waiting for "
                        + "slow readers, answers that stall dropped after {}, closed WebSockets after {}",
                config.get(Settings.MAX_CONNECTIONS), config.get(Settings.LOGON_QUEUE), config.get(Settings.LOGON_WAIT),
                config.get(Settings.MAX_UNSENT), config.get(Settings.WRITE_TIMEOUT), config.get(Settings.WS_CLOSE_TIMEOUT));
        log.info("{} (burst,interval; {})", RateLimits.from(config).describe(),
                server.store.blocks() ? "in Redis, shared by every replica" : "in memory");
        if (server.metricsListener != null) {
            log.info("metrics on {}{}", server.metricsUrl(), MetricsListener.PATH);
        }
        if (config.get(Settings.WEB)) {
            log.info("the chat page is at {}/ (--web false turns it off)", server.url());
        }
        return server;
    }

    /** The port actually bound: the configured one, or the free one picked for port 0. */
    public int port() {
        return listener.port();
    }

    /** The base URL of the server, e.g. http://127.0.0.1:8080. */
    public String url() {
        String host = config.get(Settings.HOST).contains(":") ? "[" + config.get(Settings.HOST) + "]" : config.get(Settings.HOST);
        return "http://" + host + ":" + port();
    }

    /** The metrics listener's base URL (http://127.0.0.1:9464), or null when metrics are off. */
    public String metricsUrl() {
        if (metricsListener == null) {
            return null;
        }
        String host = ListenAddress.parse(config.get(Settings.METRICS_LISTEN)).host();
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + metricsListener.port();
    }

    /** The store, for tests that look at what it holds. */
    ChatStore store() {
        return store;
    }

    /** How many connections are open now (WebSockets included). */
    int openConnections() {
        return accepted.openCount();
    }

    /** How many HTTP connections are between requests now (idle ones, and ones that have sent nothing yet). */
    int idleConnections() {
        return accepted.idleCount();
    }

    /** How many WebSockets are open now. */
    int openSockets() {
        return sockets.openCount();
    }

    /** Bytes of answers handed over but not yet written to slow readers (--max-unsent bounds them). */
    long unsentBytes() {
        return unsent.bytes();
    }

    /** How many pings the keep-alive has queued to sockets so far. */
    long pingsSent() {
        return sockets.pingsSent();
    }

    /** What the logon pool has done so far: logons hashed, skipped because their client had gone, refused. */
    BoundedPool.Counts logonCounts() {
        return workers.logonCounts();
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
        listener.close();
        if (metricsListener != null) {
            metricsListener.close(); // after the requests in flight, so that a last scrape still sees them
        }
        stop();
        log.info("chat server stopped");
    }

    /**
     * In this order: this replica's presence lingers (its users reconnect elsewhere), nothing more is heard from other
     * replicas, no thread runs, then the store closes.
     */
    private void stop() {
        if (presence != null) {
            try {
                presence.close();
            } catch (RuntimeException e) {
                log.warn("could not hand over presence on the way out; it expires by itself", e);
            }
        }
        backend.stopListening();
        workers.stop();
        backend.close();
    }

    private void sweep() {
        backend.buckets.sweep();
        try {
            int removed = store.sweepExpiredSessions();
            if (removed > 0) {
                log.debug("removed {} expired sessions", removed);
            }
            int forgotten = store.forgetExpiredKeys();
            if (forgotten > 0) {
                log.debug("forgot {} expired idempotency keys", forgotten);
            }
        } catch (ChatException e) {
            log.debug("session sweep skipped: {}", e.reason());
        } catch (RuntimeException e) {
            log.error("session sweep failed", e);
        }
    }

    private void sweepPresence() {
        try {
            presence.sweep();
        } catch (RuntimeException e) {
            log.error("presence sweep failed", e);
        }
    }

    private void refreshPresence() {
        try {
            presence.refresh();
        } catch (RuntimeException e) {
            log.error("presence refresh failed", e);
        }
    }

    private void keepSocketsAlive() {
        try {
            sockets.keepAlive();
            backend.keepAlive();
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
}
