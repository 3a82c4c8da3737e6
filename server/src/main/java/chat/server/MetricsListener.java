package chat.server;

import chat.config.ListenAddress;
import chat.metrics.Metrics;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import org.xnio.Options;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * The metrics' own listener ({@code --metrics-listen}): {@code GET /metrics} and nothing else, on an Undertow of its
 * own with one IO thread and two worker threads, so that a scrape never competes with the chat's IO threads and the
 * chat's limits and rate limits never refuse a scrape. Bounded: a few connections, small request heads, short
 * timeouts. (The client library's own HTTPServer, on the JDK's com.sun.net.httpserver, was not used: it would add a
 * second HTTP stack with its own thread pool, and Undertow is here already.) Closed with the server.
 */
final class MetricsListener implements AutoCloseable {
    static final String PATH = "/metrics";
    private static final byte[] NOT_FOUND = "only GET /metrics here\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final Undertow undertow;

    private MetricsListener(Undertow undertow) {
        this.undertow = undertow;
    }

    /** Binds and serves; throws if the address cannot be bound. */
    static MetricsListener start(ListenAddress address, Metrics metrics) {
        Undertow undertow = Undertow.builder()
                .addHttpListener(address.port(), address.host())
                .setIoThreads(1)
                .setWorkerThreads(2)
                .setServerOption(UndertowOptions.MAX_HEADER_SIZE, 8 * 1024)
                .setServerOption(UndertowOptions.MAX_ENTITY_SIZE, 0L)
                .setServerOption(UndertowOptions.REQUEST_PARSE_TIMEOUT, 5_000)
                .setServerOption(UndertowOptions.NO_REQUEST_TIMEOUT, 60_000)
                .setSocketOption(Options.CONNECTION_HIGH_WATER, 16)
                .setSocketOption(Options.CONNECTION_LOW_WATER, 16)
                .setHandler(exchange -> answer(exchange, metrics))
                .build();
        undertow.start();
        return new MetricsListener(undertow);
    }

    private static void answer(HttpServerExchange exchange, Metrics metrics) {
        if (!PATH.equals(exchange.getRequestPath())) {
            send(exchange, 404, "text/plain; charset=utf-8", NOT_FOUND);
        } else if (!exchange.getRequestMethod().equals(Methods.GET) && !exchange.getRequestMethod().equals(Methods.HEAD)) {
            exchange.getResponseHeaders().put(Headers.ALLOW, "GET, HEAD");
            send(exchange, 405, "text/plain; charset=utf-8", NOT_FOUND);
        } else if (exchange.isInIoThread()) {
            exchange.dispatch(() -> answer(exchange, metrics)); // a scrape takes a few ms (the JVM's metrics): not here
        } else {
            Metrics.Exposition exposition = metrics.scrape(exchange.getRequestHeaders().getFirst(Headers.ACCEPT));
            send(exchange, 200, exposition.contentType(), exposition.body());
        }
    }

    private static void send(HttpServerExchange exchange, int status, String contentType, byte[] body) {
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, contentType);
        exchange.getResponseSender().send(ByteBuffer.wrap(body));
    }

    /** The port bound: the configured one, or the free one picked for port 0. */
    int port() {
        return ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
    }

    @Override
    public void close() {
        undertow.stop();
    }
}
