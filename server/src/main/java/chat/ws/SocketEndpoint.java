package chat.ws;

import chat.api.CallTable;
import chat.api.UnsentAnswers;
import chat.api.Where;
import chat.client.Client;
import chat.client.ClientKey;
import chat.client.OpenCounts;
import chat.core.ChatService;
import chat.error.ChatError;
import chat.push.ChannelSubscribers;
import chat.push.Presence;
import chat.push.SessionSubscribers;
import chat.store.UncheckedReads;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.websockets.WebSocketProtocolHandshakeHandler;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.spi.WebSocketHttpExchange;

import java.time.Duration;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code GET /ws}: the WebSocket endpoint, and the open sockets. The session key comes with the handshake (header
 * X-Session-Key, or query parameter sesskey for browsers) and is checked before the upgrade: a refused handshake
 * throws the ChatException its HTTP answer is made from (by chat.server, like any request's), never a socket.
 *
 * <p>Sockets open at once are bounded per session ({@code --ws-max-per-session}) and per client address
 * ({@code --ws-max-per-client}) for clients that are not exempt ({@code chat.client.ClientAddresses}): a handshake over either
 * is refused with TOO_MANY_CONNECTIONS (429). A socket counts from its handshake until its connection closes.
 */
public final class SocketEndpoint {
    public static final String PATH = "/ws";
    private static final HttpString SESSION_HEADER = new HttpString("X-Session-Key");
    private static final AttachmentKey<Long> SESSKEY = AttachmentKey.create(Long.class);
    private static final AttachmentKey<Client> CLIENT = AttachmentKey.create(Client.class);
    private static final AttachmentKey<String> REQUEST_ID = AttachmentKey.create(String.class);
    private static final int SWITCHING_PROTOCOLS = 101;

    private final ChatService chat;
    private final CallTable calls;
    private final String knownCalls;
    private final Where storeWork;
    private final ChannelSubscribers<Frame> subscribers;
    private final SessionSubscribers sessions;
    private final Presence presence; // null without presence
    private final UncheckedReads store;
    private final SocketLimits limits;
    private final UnsentAnswers unsent;
    private final SocketMeters meters;
    private final OpenCounts<Long> perSession = new OpenCounts<>();
    private final OpenCounts<ClientKey> perClient = new OpenCounts<>();
    private final Set<SocketConnection> open = ConcurrentHashMap.newKeySet();
    private final AtomicLong pingsSent = new AtomicLong();
    private final WriteCoalescing coalescing = new WriteCoalescing();
    private final WebSocketProtocolHandshakeHandler upgrade;

    /**
     * @param storeWork where a socket's subscribe and unsubscribe run (its other calls run where the table says)
     * @param store     for finding the sessions that ended
     * @param unsent    the bound an answer larger than a socket's queue may take is held within
     * @param presence  what counts the sockets' subscriptions as presence; null for none
     */
    public SocketEndpoint(ChatService chat, CallTable calls, Where storeWork, ChannelSubscribers<Frame> subscribers,
                          SessionSubscribers sessions, Presence presence, UncheckedReads store, SocketLimits limits,
                          UnsentAnswers unsent, SocketMeters meters) {
        this.presence = presence;
        this.meters = meters;
        meters.gauges(this::openCount, this::subscriptionCount);
        this.chat = chat;
        this.calls = calls;
        this.knownCalls = SocketCalls.knownCalls(calls);
        this.storeWork = storeWork;
        this.subscribers = subscribers;
        this.sessions = sessions;
        this.store = store;
        this.limits = limits;
        this.unsent = unsent;
        this.upgrade = new WebSocketProtocolHandshakeHandler(List.of(new SocketHandshake()), this::connected,
                SocketEndpoint::notAnUpgrade);
    }

    /**
     * The handshake: upgrades the exchange, or throws HANDSHAKE_REFUSED, NOT_A_WEBSOCKET or
     * WEBSOCKET_VERSION_UNSUPPORTED. Asks the store: run it where store work runs.
     *
     * @param client    who asks (chat.client.ClientAddresses): what the socket's bounds and its calls' rate limits are
     *                  counted under, unless it is exempt
     * @param requestId the handshake's X-Request-Id, which the log names the socket's calls by
     */
    public void handshake(HttpServerExchange exchange, Client client, String requestId) {
        Long sesskey = keyOf(exchange);
        if (sesskey == null || !chat.renewSession(sesskey)) {
            throw ChatError.HANDSHAKE_REFUSED.exception();
        }
        exchange.putAttachment(SESSKEY, sesskey);
        exchange.putAttachment(CLIENT, client);
        exchange.putAttachment(REQUEST_ID, requestId);
        countOrRefuse(exchange, sesskey, client);
        try {
            upgrade.handleRequest(exchange);
        } catch (RuntimeException refused) {
            throw refused; // notAnUpgrade's ChatException
        } catch (Exception e) { // Undertow's handler interface throws Exception; the handshake handler does not
            throw new IllegalStateException("the WebSocket handshake failed", e);
        }
    }

    /**
     * Counts the socket under its session and its client, or throws TOO_MANY_CONNECTIONS. The counts are released
     * when the connection closes (a socket's, or a refused handshake's), or when the handshake ends without an
     * upgrade; releasing twice releases once.
     */
    private void countOrRefuse(HttpServerExchange exchange, long sesskey, Client client) {
        if (client.exempt()) {
            return;
        }
        OpenCounts<Long>.Permit session = perSession.tryOpen(sesskey, limits.maxPerSession());
        if (session == null) {
            throw ChatError.TOO_MANY_CONNECTIONS.exception("this session has " + limits.maxPerSession()
                    + " WebSockets open, the most it may; close one (one socket can subscribe to many channels)");
        }
        OpenCounts<ClientKey>.Permit address = perClient.tryOpen(client.key(), limits.maxPerClient());
        if (address == null) {
            session.close();
            throw ChatError.TOO_MANY_CONNECTIONS.exception("your address has " + limits.maxPerClient()
                    + " WebSockets open, the most it may; close one and try again");
        }
        Runnable release = () -> {
            session.close();
            address.close();
        };
        exchange.getConnection().addCloseListener(connection -> release.run());
        exchange.addExchangeCompleteListener((ended, next) -> {
            if (ended.getStatusCode() != SWITCHING_PROTOCOLS) {
                release.run(); // refused, or not a WebSocket after all: no socket holds the counts
            }
            next.proceed();
        });
    }

    /**
     * What the handshake did not take: a plain request, or a WebSocket of another version, which RFC 6455 (4.4)
     * asks to refuse naming the version this server speaks.
     */
    private static void notAnUpgrade(HttpServerExchange exchange) {
        String version = exchange.getRequestHeaders().getFirst(Headers.SEC_WEB_SOCKET_VERSION);
        if (version != null && !version.strip().equals("13")) {
            exchange.getResponseHeaders().put(Headers.SEC_WEB_SOCKET_VERSION, "13");
            throw ChatError.WEBSOCKET_VERSION_UNSUPPORTED.exception();
        }
        throw ChatError.NOT_A_WEBSOCKET.exception();
    }

    private static Long keyOf(HttpServerExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst(SESSION_HEADER);
        Deque<String> query = exchange.getQueryParameters().get("sesskey");
        String text = header != null ? header : query != null ? query.peekFirst() : null;
        try {
            return text == null ? null : Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** A socket is open: it gets its outbox, subscriptions and calls, each given just what it needs. */
    private void connected(WebSocketHttpExchange exchange, WebSocketChannel channel) {
        long sesskey = exchange.getAttachment(SESSKEY);
        Outbox outbox = new Outbox(channel, exchange.getAttachment(SocketHandshake.SINK), limits, unsent, coalescing,
                meters);
        SocketSubscriptions subscriptions = new SocketSubscriptions(outbox, subscribers, presence,
                limits.maxSubscriptions());
        SocketCalls socketCalls = new SocketCalls(sesskey, exchange.getAttachment(CLIENT),
                exchange.getAttachment(REQUEST_ID), outbox, calls, knownCalls, storeWork, chat, subscriptions);
        SocketConnection connection = new SocketConnection(outbox, limits.maxFrameBytes(), socketCalls, subscriptions);
        open.add(connection);
        sessions.opened(sesskey, outbox);
        channel.addCloseTask(closed -> {
            connection.closed();
            sessions.closed(sesskey, outbox);
            open.remove(connection);
        });
        channel.getReceiveSetter().set(connection);
        channel.resumeReceives();
    }

    /** Run periodically: pings quiet sockets, closes silent ones, renews the sessions of open ones, closes those whose session ended. */
    public void keepAlive() {
        long now = System.currentTimeMillis();
        for (SocketConnection connection : open) {
            if (now - connection.lastHeardMillis() >= limits.silenceTimeout().toMillis()) {
                connection.outbox().close(CloseCodes.GOING_AWAY, "silent for " + readable(limits.silenceTimeout()),
                        meters.closedSilent);
            } else if (now - connection.lastPingMillis() >= limits.pingInterval().toMillis()) {
                connection.pinged(now);
                connection.outbox().ping();
                pingsSent.incrementAndGet();
            }
        }
        sessions.renewOrClose(store);
    }

    private static String readable(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
    }

    /** On shutdown: tell every client to come back later. */
    public void closeAll() {
        open.forEach(connection -> connection.outbox().close(CloseCodes.GOING_AWAY, "server shutting down",
                meters.closedShutdown));
    }

    public int openCount() {
        return open.size();
    }

    /** The subscriptions of every open socket, counted when asked (a scrape): nothing is kept for it. */
    private int subscriptionCount() {
        int count = 0;
        for (SocketConnection connection : open) {
            count += connection.subscriptionCount();
        }
        return count;
    }

    /** Pings handed to sockets' queues since start: what a test waits for instead of guessing the interval. */
    public long pingsSent() {
        return pingsSent.get();
    }
}
