package chat.server;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import io.undertow.util.HttpString;

import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Gives every HTTP request an id, answered in {@code X-Request-Id} and named by the log lines of its call and its
 * access-log line: the client's own when it sent a sane one (a balancer's, so that one id follows the request
 * through both), else a new one. New ids are this server's random prefix and a counter: unique across replicas
 * and restarts without a random draw per request.
 */
final class RequestIds implements HttpHandler {
    static final HttpString HEADER = new HttpString("X-Request-Id");
    /** Longest id taken from a client; a longer one is replaced, as is one with other characters. */
    static final int MAX_LENGTH = 128;
    private static final AttachmentKey<String> ID = AttachmentKey.create(String.class);

    private final String prefix;
    private final AtomicLong issued = new AtomicLong();
    private final AccessLog accessLog; // null: no access log
    private final HttpHandler next;

    RequestIds(AccessLog accessLog, HttpHandler next) {
        this.prefix = Long.toString(new SecureRandom().nextLong() >>> 1, 36) + "-";
        this.accessLog = accessLog;
        this.next = next;
    }

    /** The request's id; null only for a request that did not come through this handler. */
    static String of(HttpServerExchange exchange) {
        return exchange.getAttachment(ID);
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        String id = exchange.getRequestHeaders().getFirst(HEADER);
        if (!isSane(id)) {
            id = prefix + Long.toString(issued.incrementAndGet(), 36);
        }
        exchange.putAttachment(ID, id);
        exchange.getResponseHeaders().put(HEADER, id);
        if (accessLog != null) {
            accessLog.follow(exchange, id);
        }
        next.handleRequest(exchange);
    }

    /**
     * 1 to 128 of the characters of UUIDs, base64, HAProxy's unique ids and the like: safe in a header, a log line
     * and a terminal, whoever sent it.
     */
    static boolean isSane(String id) {
        if (id == null || id.isEmpty() || id.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            boolean allowed = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || c == '-' || c == '_' || c == '.' || c == ':' || c == '+' || c == '/' || c == '=' || c == '@';
            if (!allowed) {
                return false;
            }
        }
        return true;
    }
}
