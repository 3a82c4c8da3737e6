package chat.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The server as one without push would be: every call is passed on (with the answer's Retry-After), but /ws answers
 * 404. On demand it also refuses the next calls itself, 429 RATE_LIMITED with Retry-After, as a server throttling
 * every call would: the real server gives a token back each interval, so it cannot be made to refuse on and on.
 */
final class NoWebSocketProxy implements AutoCloseable {
    private final HttpServer listener;
    private final HttpClient http = HttpClient.newHttpClient();
    private final String target;
    private final AtomicInteger callsToRefuse = new AtomicInteger();
    private final AtomicInteger callsRefused = new AtomicInteger();
    private volatile int retryAfterSeconds;

    NoWebSocketProxy(String target) throws IOException {
        this.target = target;
        this.listener = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        listener.createContext("/", this::answer);
        listener.start();
    }

    String url() {
        return "http://127.0.0.1:" + listener.getAddress().getPort();
    }

    /** Refuses the next {@code calls} calls 429 RATE_LIMITED, each with {@code Retry-After: retryAfterSeconds}. */
    void refuseNext(int calls, int retryAfterSeconds) {
        this.retryAfterSeconds = retryAfterSeconds;
        callsToRefuse.set(calls);
    }

    /** How many calls this proxy has refused itself so far. */
    int refused() {
        return callsRefused.get();
    }

    private void answer(HttpExchange exchange) throws IOException {
        try {
            String path = exchange.getRequestURI().getPath();
            if (path.equals("/ws")) {
                send(exchange, 404, "{\"status\":false,\"data\":\"no such call\",\"error\":\"UNKNOWN_CALL\"}"
                        .getBytes(StandardCharsets.UTF_8));
                return;
            }
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (callsToRefuse.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
                callsRefused.incrementAndGet();
                exchange.getResponseHeaders().set("Retry-After", Integer.toString(retryAfterSeconds));
                send(exchange, 429, ("{\"status\":false,\"data\":\"refused by the test's proxy; try again in "
                        + retryAfterSeconds + " s\",\"error\":\"RATE_LIMITED\"}").getBytes(StandardCharsets.UTF_8));
                return;
            }
            HttpRequest request = HttpRequest.newBuilder(URI.create(target + path))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            response.headers().firstValue("Retry-After")
                    .ifPresent(seconds -> exchange.getResponseHeaders().set("Retry-After", seconds));
            send(exchange, response.statusCode(), response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } finally {
            exchange.close();
        }
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }

    @Override
    public void close() {
        listener.stop(0);
    }
}
