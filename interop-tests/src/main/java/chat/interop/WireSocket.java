package chat.interop;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A WebSocket to the server under test, for the ws/* cases: sends calls, queues what arrives, remembers how the
 * socket ended. A server without /ws makes {@link #open} skip the case.
 */
final class WireSocket implements AutoCloseable {
    /** How the socket ended: a close code and reason, or an HTTP status when the handshake was refused. */
    record Ending(int code, String reason, Integer httpStatus, String failure) {
    }

    private static final long WAIT_SECONDS = 10;

    private final BlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
    private final CompletableFuture<Boolean> opened = new CompletableFuture<>();
    private final CompletableFuture<Ending> ending = new CompletableFuture<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final WebSocket socket;

    private WireSocket(OkHttpClient http, String url, String headerKey) {
        Request.Builder request = new Request.Builder().url(url);
        if (headerKey != null) {
            request.header("X-Session-Key", headerKey);
        }
        socket = http.newWebSocket(request.build(), new WebSocketListener() {
            @Override
            public void onOpen(WebSocket webSocket, Response response) {
                opened.complete(true);
            }

            @Override
            public void onMessage(WebSocket webSocket, String text) {
                try {
                    frames.add(JsonParser.parseString(text).getAsJsonObject());
                } catch (RuntimeException e) {
                    JsonObject unreadable = new JsonObject();
                    unreadable.addProperty("unreadable", text);
                    frames.add(unreadable);
                }
            }

            @Override
            public void onClosing(WebSocket webSocket, int code, String reason) {
                ending.complete(new Ending(code, reason, null, null));
                webSocket.close(1000, null);
            }

            @Override
            public void onFailure(WebSocket webSocket, Throwable t, Response response) {
                // ending first: whoever sees "opened" false then reads the ending
                ending.complete(new Ending(0, null, response == null ? null : response.code(), t.toString()));
                opened.complete(false);
            }
        });
    }

    /** Connections made as the wire makes its own, so that the socket comes from the same client address. */
    private static OkHttpClient client(Wire wire) {
        return new OkHttpClient.Builder().callTimeout(Duration.ZERO).readTimeout(Duration.ZERO)
                .socketFactory(wire.sockets()).build();
    }

    /** A socket with the key in the X-Session-Key header; skips the case when the server has no /ws. */
    static WireSocket open(Wire wire, long sesskey) throws Exception {
        return open(wire, "/ws", Long.toString(sesskey));
    }

    /** A socket to this path with this header key (null for none); skips when the server has no /ws. */
    static WireSocket open(Wire wire, String pathAndQuery, String headerKey) throws Exception {
        WireSocket socket = attempt(wire, pathAndQuery, headerKey);
        if (!socket.opened.get(WAIT_SECONDS, TimeUnit.SECONDS)) {
            Ending ending = socket.ending.getNow(null);
            if (ending != null && ending.httpStatus() != null && (ending.httpStatus() == 404 || ending.httpStatus() == 405)) {
                throw new CaseSkipped("the server has no WebSocket endpoint at /ws (HTTP " + ending.httpStatus() + ")");
            }
            throw new CaseFailed("the WebSocket handshake failed: " + ending);
        }
        return socket;
    }

    /** A handshake whose outcome the case judges itself. */
    static WireSocket attempt(Wire wire, String pathAndQuery, String headerKey) {
        String url = wire.baseUrl().replaceFirst("^http", "ws") + pathAndQuery;
        return new WireSocket(client(wire), url, headerKey);
    }

    boolean awaitOpened() throws Exception {
        return opened.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    int send(String call, JsonObject body) {
        int id = ids.incrementAndGet();
        JsonObject frame = new JsonObject();
        frame.addProperty("id", id);
        frame.addProperty("call", call);
        frame.add("body", body);
        socket.send(frame.toString());
        return id;
    }

    void sendRaw(String text) {
        socket.send(text);
    }

    /** The next frame; fails the case when none comes in time. */
    JsonObject next(String waitingFor) throws InterruptedException {
        return next(waitingFor, WAIT_SECONDS);
    }

    /** The next frame within {@code seconds}: for what a server may hold back a while (a leave, after its grace). */
    JsonObject next(String waitingFor, long seconds) throws InterruptedException {
        JsonObject frame = frames.poll(seconds, TimeUnit.SECONDS);
        if (frame == null) {
            throw new CaseFailed("no frame within " + seconds + " s while waiting for " + waitingFor);
        }
        return frame;
    }

    /** Frames in arrival order, up to and including the first that is {@code last}; fails if one is late. */
    List<JsonObject> readUntil(Predicate<JsonObject> last, String waitingFor) throws InterruptedException {
        List<JsonObject> read = new ArrayList<>();
        JsonObject frame;
        do {
            frame = next(waitingFor + " (read before it: " + read + ")");
            read.add(frame);
        } while (!last.test(frame));
        return read;
    }

    /** Sends a call; its answer must be the next frame. */
    JsonObject call(String call, JsonObject body) throws InterruptedException {
        int id = send(call, body);
        JsonObject answer = next("the answer to " + call);
        Expect.that(isAnswerTo(answer, id), "the answer to " + call + " should carry id " + id + ": " + answer);
        return answer;
    }

    /** True when the frame is an answer carrying this id. */
    static boolean isAnswerTo(JsonObject frame, int id) {
        JsonElement answerId = frame.get("id");
        return answerId != null && answerId.isJsonPrimitive() && answerId.getAsJsonPrimitive().isNumber()
                && answerId.getAsInt() == id;
    }

    Ending awaitEnding() throws Exception {
        try {
            return ending.get(WAIT_SECONDS * 2, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new CaseFailed("the server did not close the socket within " + WAIT_SECONDS * 2 + " s");
        }
    }

    static JsonObject body(Object... namesAndValues) {
        JsonObject body = new JsonObject();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            Object value = namesAndValues[i + 1];
            if (value instanceof Number number) {
                body.addProperty((String) namesAndValues[i], number);
            } else {
                body.addProperty((String) namesAndValues[i], String.valueOf(value));
            }
        }
        return body;
    }

    @Override
    public void close() {
        socket.close(1000, null);
    }
}
