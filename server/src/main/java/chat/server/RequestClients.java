package chat.server;

import chat.client.Client;
import chat.client.ClientAddresses;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import io.undertow.util.HeaderValues;
import io.undertow.util.HttpString;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * The {@link Client} of an HTTP request, as {@link ClientAddresses} resolves it: what its rate limits are counted
 * under. A connection from anyone but a trusted proxy is one client for its whole life (its X-Forwarded-For is
 * ignored), so that is resolved once and kept on the connection; a trusted proxy's connection carries many
 * clients, so each of its requests is resolved from its own header.
 */
final class RequestClients {
    static final HttpString FORWARDED_FOR = new HttpString("X-Forwarded-For");
    private static final AttachmentKey<Client> CLIENT = AttachmentKey.create(Client.class);

    private final ClientAddresses clients;

    RequestClients(ClientAddresses clients) {
        this.clients = clients;
    }

    /** The client's address, from a trusted proxy's X-Forwarded-For where it came through one. */
    String addressOf(HttpServerExchange exchange) {
        return clients.addressOf(peer(exchange), forwardedFor(exchange)).getHostAddress();
    }

    Client of(HttpServerExchange exchange) {
        Client known = exchange.getConnection().getAttachment(CLIENT);
        if (known != null) {
            return known;
        }
        InetAddress peer = peer(exchange);
        Client client = clients.ofRequest(peer, forwardedFor(exchange));
        if (!clients.isTrustedProxy(peer)) {
            exchange.getConnection().putAttachment(CLIENT, client);
        }
        return client;
    }

    private static InetAddress peer(HttpServerExchange exchange) {
        return exchange.getConnection().getPeerAddress(InetSocketAddress.class).getAddress();
    }

    private static List<String> forwardedFor(HttpServerExchange exchange) {
        HeaderValues forwarded = exchange.getRequestHeaders().get(FORWARDED_FOR);
        return forwarded == null ? List.of() : forwarded;
    }
}
