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

/** The server as one without push would be: every call is passed on, but /ws answers 404. */
final class NoWebSocketProxy implements AutoCloseable {
    private final HttpServer listener;
    private final HttpClient http = HttpClient.newHttpClient();
    private final String target;

    NoWebSocketProxy(String target) throws IOException {
        this.target = target;
        this.listener = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        listener.createContext("/", this::answer);
        listener.start();
    }

    String url() {
        return "http://127.0.0.1:" + listener.getAddress().getPort();
    }

    private void answer(HttpExchange exchange) throws IOException {
        try {
            String path = exchange.getRequestURI().getPath();
            if (path.equals("/ws")) {
                send(exchange, 404, "{\"status\":false,\"data\":\"no such call\",\"error\":\"UNKNOWN_CALL\"}"
                        .getBytes(StandardCharsets.UTF_8));
                return;
            }
            HttpRequest request = HttpRequest.newBuilder(URI.create(target + path))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(exchange.getRequestBody().readAllBytes())).build();
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
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
