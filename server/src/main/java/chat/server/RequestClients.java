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
        InetAddress peer = exchange.getConnection().getPeerAddress(InetSocketAddress.class).getAddress();
        HeaderValues forwarded = exchange.getRequestHeaders().get(FORWARDED_FOR);
        return clients.addressOf(peer, forwarded == null ? List.of() : forwarded).getHostAddress();
    }

    Client of(HttpServerExchange exchange) {
        Client known = exchange.getConnection().getAttachment(CLIENT);
        if (known != null) {
            return known;
        }
        InetAddress peer = exchange.getConnection().getPeerAddress(InetSocketAddress.class).getAddress();
        HeaderValues forwarded = exchange.getRequestHeaders().get(FORWARDED_FOR);
        Client client = clients.ofRequest(peer, forwarded == null ? List.of() : forwarded);
        if (!clients.isTrustedProxy(peer)) {
            exchange.getConnection().putAttachment(CLIENT, client);
        }
        return client;
    }
}
