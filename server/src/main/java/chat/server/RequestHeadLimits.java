package chat.server;

import chat.error.ChatError;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.HeaderValues;

/**
 * Limits on a request's head, kept below Undertow's own so that a handler can still answer them with the
 * envelope: a URL over {@link #MAX_URL_CHARS} is 414 URL_TOO_LONG; more than {@link #MAX_HEADERS} headers or more
 * than {@link #MAX_HEADER_BYTES} of them is 431 HEADERS_TOO_LARGE. Past Undertow's parsing limit
 * ({@link #UNDERTOW_MAX_HEAD_BYTES} for the request line and headers together, {@link #UNDERTOW_MAX_HEADERS}
 * headers) Undertow answers a bare 400 and closes before any handler runs; raising that limit would only let
 * more bytes in.
 *
 * <p>On the hot path this costs two string lengths and a walk over the few headers an ordinary request has.
 */
final class RequestHeadLimits implements HttpHandler {
    static final int MAX_URL_CHARS = 8 * 1024;
    static final int MAX_HEADERS = 100;
    static final int MAX_HEADER_BYTES = 12 * 1024;
    static final int UNDERTOW_MAX_HEAD_BYTES = 16 * 1024;
    static final int UNDERTOW_MAX_HEADERS = 200;

    private final HttpHandler next;

    private final Refusals refusals;

    RequestHeadLimits(HttpHandler next, Refusals refusals) {
        this.next = next;
        this.refusals = refusals;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        long url = exchange.getRequestURI().length() + (long) exchange.getQueryString().length();
        if (url > MAX_URL_CHARS) {
            refusals.send(exchange, ChatError.URL_TOO_LONG.exception("the URL has " + url
                    + " characters; the server accepts at most " + MAX_URL_CHARS));
            return;
        }
        HeaderMap headers = exchange.getRequestHeaders();
        if (headers.size() > MAX_HEADERS) {
            refusals.send(exchange, ChatError.HEADERS_TOO_LARGE.exception("the request has " + headers.size()
                    + " header fields; the server accepts at most " + MAX_HEADERS));
            return;
        }
        long bytes = headerBytes(headers);
        if (bytes > MAX_HEADER_BYTES) {
            refusals.send(exchange, ChatError.HEADERS_TOO_LARGE.exception("the request's headers have " + bytes
                    + " bytes; the server accepts at most " + MAX_HEADER_BYTES));
            return;
        }
        next.handleRequest(exchange);
    }

    /** The headers' size as sent, near enough: "name: value\r\n" for each value. */
    private static long headerBytes(HeaderMap headers) {
        long bytes = 0;
        for (long cookie = headers.fastIterateNonEmpty(); cookie != -1L; cookie = headers.fiNextNonEmpty(cookie)) {
            HeaderValues values = headers.fiCurrent(cookie);
            int name = values.getHeaderName().length() + 4;
            for (int i = 0; i < values.size(); i++) {
                bytes += name + values.get(i).length();
            }
        }
        return bytes;
    }
}
