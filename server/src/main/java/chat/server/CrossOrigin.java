package chat.server;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * CORS for the origins of --cors-origins (spec http/25), so that a web client served from another site can call
 * the API: a preflight from one of them is answered here, 204 with what it may send; every other request from one
 * gets {@code Access-Control-Allow-Origin} with its answer, whatever the answer. A request from any other origin
 * (or none) passes through untouched, and so gets no CORS header, which is how a browser is told no. The session
 * key is in the body, never in a cookie, so credentials are never allowed: no other site can act with a user's
 * session by having their browser send it.
 */
final class CrossOrigin implements HttpHandler {
    private static final HttpString ALLOW_ORIGIN = new HttpString("Access-Control-Allow-Origin");
    private static final HttpString ALLOW_METHODS = new HttpString("Access-Control-Allow-Methods");
    private static final HttpString ALLOW_HEADERS = new HttpString("Access-Control-Allow-Headers");
    private static final HttpString EXPOSE_HEADERS = new HttpString("Access-Control-Expose-Headers");
    private static final HttpString MAX_AGE = new HttpString("Access-Control-Max-Age");
    private static final HttpString REQUEST_METHOD = new HttpString("Access-Control-Request-Method");
    /** What a client may send beyond the CORS-safe headers: JSON bodies, a post's key, its own request id. */
    static final String ALLOWED_HEADERS = "Content-Type, Idempotency-Key, X-Request-Id";
    /** What a client may read beyond the CORS-safe headers: how long to wait, and which request it was. */
    static final String EXPOSED_HEADERS = "Retry-After, RateLimit, RateLimit-Policy, X-Request-Id";

    private final Set<String> origins;
    private final HttpHandler next;

    /** @param origins as {@link chat.config.WebOrigins} reads them: lower case, without a default port */
    CrossOrigin(List<String> origins, HttpHandler next) {
        this.origins = Set.copyOf(origins);
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        var response = exchange.getResponseHeaders();
        // Answers differ by Origin, so a cache in between must keep them apart, the refused ones included.
        response.add(Headers.VARY, "Origin");
        String origin = exchange.getRequestHeaders().getFirst(Headers.ORIGIN);
        if (origin == null || !origins.contains(origin.toLowerCase(Locale.ROOT))) {
            next.handleRequest(exchange);
            return;
        }
        response.put(ALLOW_ORIGIN, origin);
        if (exchange.getRequestMethod().equals(Methods.OPTIONS)
                && exchange.getRequestHeaders().contains(REQUEST_METHOD)) {
            response.put(ALLOW_METHODS, "POST, GET, HEAD");
            response.put(ALLOW_HEADERS, ALLOWED_HEADERS);
            response.put(MAX_AGE, "600");
            exchange.setStatusCode(204);
            exchange.endExchange();
            return;
        }
        response.put(EXPOSE_HEADERS, EXPOSED_HEADERS);
        next.handleRequest(exchange);
    }
}
