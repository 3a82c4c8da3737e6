package chat.server;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The browser client (issue 19): a fixed list of files from the jar's {@code web/} folder, read once at start and
 * answered to {@code GET} and {@code HEAD} of exactly their paths. There is no file system path and no name taken
 * from the request, so no request can reach anything else (no traversal to guard against). Every other method and
 * path is left to Routes, which answers as it always did (spec http/24).
 */
final class WebPage {
    /**
     * The page's own files only: no inline script or style, no other site, no frames around it. {@code connect-src
     * 'self'} covers the page's fetches and its WebSocket to the same host and port.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; "
            + "frame-ancestors 'none'";
    private static final HttpString CSP = new HttpString("Content-Security-Policy");
    private static final HttpString NOSNIFF = new HttpString("X-Content-Type-Options");
    private static final HttpString REFERRER_POLICY = new HttpString("Referrer-Policy");

    private record Asset(byte[] bytes, String contentType, String etag) {
    }

    /** Request path, file under web/, type. The page's modules import each other by these same paths. */
    private static final String[][] FILES = {
            {"/", "index.html", "text/html; charset=utf-8"},
            {"/web/style.css", "style.css", "text/css; charset=utf-8"},
            {"/web/icon.svg", "icon.svg", "image/svg+xml"},
            {"/web/app.js", "app.js", "text/javascript; charset=utf-8"},
            {"/web/api.js", "api.js", "text/javascript; charset=utf-8"},
            {"/web/live.js", "live.js", "text/javascript; charset=utf-8"},
            {"/web/view.js", "view.js", "text/javascript; charset=utf-8"},
    };

    private final Map<String, Asset> assets = new LinkedHashMap<>();

    /** Reads every file; a missing one is a broken build, and fails the start. */
    WebPage() {
        for (String[] file : FILES) {
            byte[] bytes = read("/web/" + file[1]);
            assets.put(file[0], new Asset(bytes, file[2], etag(bytes)));
        }
    }

    /** Whether this request is one for a file of the page (and so is answered by {@link #send}). */
    boolean serves(HttpServerExchange exchange) {
        HttpString method = exchange.getRequestMethod();
        return (method.equals(Methods.GET) || method.equals(Methods.HEAD))
                && assets.containsKey(exchange.getRequestPath());
    }

    /**
     * Answers a request {@link #serves} took. {@code Cache-Control: no-cache} with an ETag: the browser asks again
     * each time (so a new server's page is never mixed with an old one's modules) and is answered 304 without a
     * body when it has the file already.
     */
    void send(HttpServerExchange exchange) {
        Asset asset = assets.get(exchange.getRequestPath());
        var headers = exchange.getResponseHeaders();
        headers.put(CSP, CONTENT_SECURITY_POLICY);
        headers.put(NOSNIFF, "nosniff");
        headers.put(REFERRER_POLICY, "no-referrer");
        headers.put(Headers.CACHE_CONTROL, "no-cache");
        headers.put(Headers.ETAG, asset.etag());
        String ifNoneMatch = exchange.getRequestHeaders().getFirst(Headers.IF_NONE_MATCH);
        if (ifNoneMatch != null && ifNoneMatch.contains(asset.etag())) {
            exchange.setStatusCode(304);
            exchange.endExchange();
            return;
        }
        exchange.setStatusCode(200);
        headers.put(Headers.CONTENT_TYPE, asset.contentType());
        exchange.setResponseContentLength(asset.bytes().length);
        if (exchange.getRequestMethod().equals(Methods.HEAD)) {
            exchange.endExchange();
        } else {
            exchange.getResponseSender().send(ByteBuffer.wrap(asset.bytes()).asReadOnlyBuffer());
        }
    }

    private static byte[] read(String resource) {
        try (InputStream in = WebPage.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the page's file " + resource + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A strong validator: the first 16 bytes of the file's SHA-256, quoted as RFC 9110 has it. */
    private static String etag(byte[] bytes) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            return "\"" + HexFormat.of().formatHex(digest, 0, 16) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
