package chat.testing;

import com.google.gson.JsonElement;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.Strictness;
import com.google.gson.JsonPrimitive;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A WebSocket client for tests: sends calls, and queues every frame received for the test to take in order. */
public final class TestSocket implements AutoCloseable {
    /** How the socket ended: the close code and reason, or the failure. */
    public record Ending(int code, String reason, Throwable failure, Integer httpStatus) {
    }

    /** Frames must be JSON as RFC 8259 has it (no raw control character in a string, say), not as Gson forgives. */
    private static final Gson STRICT = new GsonBuilder().setStrictness(Strictness.STRICT).create();
    private final BlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
    private final CompletableFuture<Ending> ending = new CompletableFuture<>();
    private final CompletableFuture<Boolean> opened = new CompletableFuture<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final WebSocket socket;

    public TestSocket(OkHttpClient http, String url, String sesskeyHeader) {
        Request.Builder request = new Request.Builder().url(url);
        if (sesskeyHeader != null) {
            request.header("X-Session-Key", sesskeyHeader);
        }
        socket = http.newWebSocket(request.build(), new WebSocketListener() {
            @Override
            public void onOpen(WebSocket webSocket, Response response) {
                opened.complete(true);
            }

            @Override
            public void onMessage(WebSocket webSocket, String text) {
                frames.add(STRICT.fromJson(text, JsonObject.class));
            }

            @Override
            public void onClosing(WebSocket webSocket, int code, String reason) {
                ending.complete(new Ending(code, reason, null, null));
                webSocket.close(code == 1005 ? 1000 : code, null);
            }

            @Override
            public void onFailure(WebSocket webSocket, Throwable t, Response response) {
                // ending first: whoever sees "opened" false then reads the ending
                ending.complete(new Ending(0, null, t, response == null ? null : response.code()));
                opened.complete(false);
            }
        });
    }

    public boolean awaitOpen() throws Exception {
        return opened.get(10, TimeUnit.SECONDS);
    }

    /** Sends {"id": n, "call": call, "body": body} and returns n. */
    public int send(String call, JsonObject body) {
        int id = ids.incrementAndGet();
        JsonObject frame = new JsonObject();
        frame.addProperty("id", id);
        frame.addProperty("call", call);
        frame.add("body", body);
        socket.send(frame.toString());
        return id;
    }

    public void sendRaw(String text) {
        socket.send(text);
    }

    /** The next frame, waiting up to 10 s. */
    public JsonObject next() throws InterruptedException {
        JsonObject frame = frames.poll(10, TimeUnit.SECONDS);
        if (frame == null) {
            throw new AssertionError("no frame within 10 s" + (ending.isDone() ? "; the socket ended: " + ending.join() : ""));
        }
        return frame;
    }

    /**
     * The next frame, which must be a message event of the channel with this id; returns the message's text. Any
     * other frame fails the test, quoted.
     */
    public String nextMessage(String channel, long id) throws InterruptedException {
        JsonObject frame = next();
        JsonObject data = isEvent(frame, "message") && frame.has("data") && frame.get("data").isJsonObject()
                ? frame.getAsJsonObject("data") : null;
        if (data == null || !channel.equals(text(frame, "channel")) || !data.has("messageid")
                || data.get("messageid").getAsLong() != id || !data.has("message")) {
            throw new AssertionError("expected message " + id + " of " + channel + ", got " + frame);
        }
        return data.get("message").getAsString();
    }

    /** Whether the frame is an event of this kind ("message", "gap"), as opposed to an answer or another event. */
    public static boolean isEvent(JsonObject frame, String kind) {
        return kind.equals(text(frame, "event"));
    }

    private static String text(JsonObject frame, String field) {
        return frame.has(field) && frame.get(field).isJsonPrimitive() ? frame.get(field).getAsString() : null;
    }

    /** Sends a call and returns its answer (skipping nothing: the answer must be the next frame). */
    public JsonObject call(String call, JsonObject body) throws InterruptedException {
        int id = send(call, body);
        JsonObject answer = next();
        if (!answer.has("id") || !answer.get("id").isJsonPrimitive() || answer.get("id").getAsInt() != id) {
            throw new AssertionError("expected the answer to " + call + " (id " + id + "), got " + answer);
        }
        return answer;
    }

    /** Sends a call that must succeed and returns its data; a failure answer fails the test, quoted. */
    public JsonElement succeed(String call, JsonObject body) throws InterruptedException {
        JsonObject answer = call(call, body);
        if (!new JsonPrimitive(true).equals(answer.get("status")) || !answer.has("data")) {
            throw new AssertionError("expected " + call + " " + body + " to succeed, got " + answer);
        }
        return answer.get("data");
    }

    /** Subscribes and returns the answer's data, {"first": F, "last": L}; what follows is left to the test. */
    public JsonObject subscribe(String channel, long after) throws InterruptedException {
        return succeed("subscribe", body("channel", channel, "after", after)).getAsJsonObject();
    }

    /** Whether the socket has ended (closed by either side, or failed), without waiting. */
    public boolean hasEnded() {
        return ending.isDone();
    }

    public Ending awaitEnding() throws Exception {
        return ending.get(20, TimeUnit.SECONDS);
    }

    public static JsonObject body(Object... namesAndValues) {
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
