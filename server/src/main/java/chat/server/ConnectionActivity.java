package chat.server;

import io.undertow.server.ExchangeCompletionListener;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;

import java.net.InetSocketAddress;

/**
 * Marks each connection busy while a request is in flight and idle between requests (a WebSocket once upgraded),
 * so that {@link AcceptedConnections} closes only idle ones near the connection limit. Per request this is a
 * lookup in the connection's attachments and two volatile writes: no lock, timer or allocation. The connection's
 * first request also looks for an X-Forwarded-For that no trusted proxy sent (ClientAddresses warns of it once).
 */
final class ConnectionActivity implements HttpHandler {
    private static final AttachmentKey<AcceptedConnections.Tracked> TRACKED = AttachmentKey.create(
            AcceptedConnections.Tracked.class);
    private static final int SWITCHING_PROTOCOLS = 101;

    private final AcceptedConnections accepted;
    private final HttpHandler next;
    private final ExchangeCompletionListener onComplete = this::completed;

    ConnectionActivity(AcceptedConnections accepted, HttpHandler next) {
        this.accepted = accepted;
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        AcceptedConnections.Tracked tracked = exchange.getConnection().getAttachment(TRACKED);
        if (tracked == null) {
            tracked = firstRequest(exchange);
        }
        if (tracked != null) {
            tracked.requestStarted();
            exchange.addExchangeCompleteListener(onComplete);
        }
        next.handleRequest(exchange);
    }

    private AcceptedConnections.Tracked firstRequest(HttpServerExchange exchange) {
        AcceptedConnections.Tracked tracked = accepted.of(exchange.getConnection());
        if (tracked != null) {
            exchange.getConnection().putAttachment(TRACKED, tracked);
        }
        InetSocketAddress peer = exchange.getConnection().getPeerAddress(InetSocketAddress.class);
        if (peer != null && exchange.getRequestHeaders().contains(RequestClients.FORWARDED_FOR)) {
            accepted.clients().warnOnceIfExempt(peer.getAddress());
        }
        return tracked;
    }

    private void completed(HttpServerExchange exchange, ExchangeCompletionListener.NextListener nextListener) {
        try {
            AcceptedConnections.Tracked tracked = exchange.getConnection().getAttachment(TRACKED);
            if (tracked != null) {
                tracked.requestEnded(exchange.getStatusCode() == SWITCHING_PROTOCOLS);
            }
        } finally {
            nextListener.proceed();
        }
    }
}
