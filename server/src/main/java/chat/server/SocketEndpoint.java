package chat.server;

import chat.core.SessionKeys;
import chat.error.ChatError;
import chat.push.ChannelSubscribers;
import chat.push.Outbox;
import chat.push.SessionSockets;
import chat.push.WriteCoalescing;
import chat.store.ChatStore;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.websockets.WebSocketProtocolHandshakeHandler;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.spi.WebSocketHttpExchange;

import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * {@code GET /ws}: the WebSocket endpoint. The session key comes with the handshake (header X-Session-Key, or
 * query parameter sesskey for browsers) and is checked before the upgrade: a bad key gets 401 with the envelope,
 * never a socket.
 */
final class SocketEndpoint implements HttpHandler {
    static final String PATH = "/ws";
    private static final HttpString SESSION_HEADER = new HttpString("X-Session-Key");
    private static final AttachmentKey<Long> SESSKEY = AttachmentKey.create(Long.class);
    private static final int GOING_AWAY = 1001;
    private static final String HANDSHAKE = "GET " + PATH + " (the WebSocket handshake)";

    private final ChatStore store;
    private final CallTable calls;
    private final String knownCalls;
    private final Executor storeWork;
    private final ChannelSubscribers subscribers;
    private final SessionSockets sessionSockets;
    private final SocketLimits limits;
    private final Set<SocketConnection> open = ConcurrentHashMap.newKeySet();
    private final AtomicLong pingsSent = new AtomicLong();
    private final WriteCoalescing coalescing;
    private final HttpHandler upgrade;

    /** @param storeWork where store work runs; null when the store never blocks (work runs on the IO thread) */
    SocketEndpoint(ChatStore store, CallTable calls, Executor storeWork, ChannelSubscribers subscribers,
                   SessionSockets sessionSockets, SocketLimits limits) {
        this.store = store;
        this.calls = calls;
        this.knownCalls = calls.all().stream().map(CallTable.Route::name).collect(Collectors.joining(", "))
                + ", subscribe, unsubscribe";
        this.storeWork = storeWork;
        this.subscribers = subscribers;
        this.sessionSockets = sessionSockets;
        this.limits = limits;
        this.coalescing = new WriteCoalescing();
        this.upgrade = new WebSocketProtocolHandshakeHandler(List.of(new SocketHandshake()), this::connected,
                SocketEndpoint::notAnUpgrade);
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        if (storeWork == null) {
            Failures.run(exchange, HANDSHAKE, () -> handshake(exchange));
        } else {
            exchange.dispatch(storeWork, () -> Failures.run(exchange, HANDSHAKE, () -> handshake(exchange)));
        }
    }

    private void handshake(HttpServerExchange exchange) {
        Long sesskey = keyOf(exchange);
        if (sesskey == null || !SessionKeys.isWellFormed(sesskey) || store.touchSession(sesskey) == null) {
            throw ChatError.HANDSHAKE_REFUSED.exception();
        }
        exchange.putAttachment(SESSKEY, sesskey);
        try {
            upgrade.handleRequest(exchange);
        } catch (Exception e) { // Undertow's handler interface throws Exception; the handshake handler does not
            throw new IllegalStateException("the WebSocket handshake failed", e);
        }
    }

    /**
     * What the handshake did not take: a plain request, or a WebSocket of another version, which RFC 6455 (4.4)
     * asks to refuse naming the version this server speaks.
     */
    private static void notAnUpgrade(HttpServerExchange exchange) {
        String version = exchange.getRequestHeaders().getFirst(Headers.SEC_WEB_SOCKET_VERSION);
        if (version != null && !version.strip().equals("13")) {
            exchange.getResponseHeaders().put(Headers.SEC_WEB_SOCKET_VERSION, "13");
            Failures.send(exchange, ChatError.WEBSOCKET_VERSION_UNSUPPORTED.exception());
        } else {
            Failures.send(exchange, ChatError.NOT_A_WEBSOCKET.exception());
        }
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

    private void connected(WebSocketHttpExchange exchange, WebSocketChannel channel) {
        long sesskey = exchange.getAttachment(SESSKEY);
        Outbox outbox = new Outbox(channel, exchange.getAttachment(SocketHandshake.SINK), limits.maxQueuedEvents(),
                limits.maxQueuedBytes(), coalescing);
        SocketConnection connection = new SocketConnection(sesskey, outbox, this);
        open.add(connection);
        sessionSockets.opened(sesskey, outbox);
        channel.addCloseTask(closed -> {
            connection.unsubscribeAll();
            sessionSockets.closed(sesskey, outbox);
            open.remove(connection);
        });
        channel.getReceiveSetter().set(connection);
        channel.resumeReceives();
    }

    /** Run periodically: pings quiet sockets, closes silent ones and those whose session ended. */
    void keepAlive() {
        long now = System.currentTimeMillis();
        for (SocketConnection connection : open) {
            if (now - connection.lastHeardMillis() >= limits.silenceTimeout().toMillis()) {
                connection.outbox().close(GOING_AWAY, "silent for " + readable(limits.silenceTimeout()));
            } else if (now - connection.lastPingMillis() >= limits.pingInterval().toMillis()) {
                connection.pinged(now);
                connection.outbox().ping();
                pingsSent.incrementAndGet();
            }
        }
        sessionSockets.closeEnded(store);
    }

    private static String readable(java.time.Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
    }

    /** On shutdown: tell every client to come back later. */
    void closeAll() {
        open.forEach(connection -> connection.outbox().close(GOING_AWAY, "server shutting down"));
    }

    void requireLiveSession(long sesskey) {
        if (store.touchSession(sesskey) == null) {
            throw ChatError.INVALID_SESSION.exception();
        }
    }

    int openCount() {
        return open.size();
    }

    /** Pings handed to sockets' queues since start: what a test waits for instead of guessing the interval. */
    long pingsSent() {
        return pingsSent.get();
    }

    CallTable calls() {
        return calls;
    }

    /** The calls a socket answers, for the reason of an unknown one: the table's and its own two. */
    String knownCalls() {
        return knownCalls;
    }

    /** Runs store work where it belongs: right here when the store never blocks, else on the store's pool. */
    void runStoreWork(Runnable work) {
        if (storeWork == null) {
            work.run();
        } else {
            storeWork.execute(work);
        }
    }

    ChannelSubscribers subscribers() {
        return subscribers;
    }

    SocketLimits limits() {
        return limits;
    }
}
