package chat.server;

import chat.error.ChatError;
import chat.error.ChatException;
import chat.push.ChannelSubscribers;
import chat.push.Outbox;
import chat.push.Subscription;
import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.Strictness;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import io.undertow.websockets.core.AbstractReceiveListener;
import io.undertow.websockets.core.BufferedBinaryMessage;
import io.undertow.websockets.core.StreamSourceFrameChannel;
import io.undertow.websockets.core.WebSocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One open WebSocket: reads request frames {@code {"id": 7, "call": "post", "body": {...}}} and answers
 * {@code {"id": 7, "status": ..., "data": ...}}, with the seven calls of the HTTP API plus subscribe and
 * unsubscribe. A frame that cannot be understood gets a failure answer; the connection stays open.
 */
final class SocketConnection extends AbstractReceiveListener {
    private static final Logger log = LoggerFactory.getLogger(SocketConnection.class);
    private static final TypeAdapter<JsonElement> JSON = new Gson().getAdapter(JsonElement.class);
    private static final int MESSAGE_TOO_BIG = 1009;
    /** How the log names a frame being read, should that fail unexpectedly. */
    private static final String READING = "a WebSocket frame";
    private static final String SUBSCRIBE = "WebSocket subscribe";
    private static final String UNSUBSCRIBE = "WebSocket unsubscribe";

    private final long sesskey;
    private final Outbox outbox;
    private final SocketEndpoint endpoint;
    private final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();
    private volatile long lastHeardMillis = System.currentTimeMillis();
    private volatile long lastPingMillis = System.currentTimeMillis();

    SocketConnection(long sesskey, Outbox outbox, SocketEndpoint endpoint) {
        this.sesskey = sesskey;
        this.outbox = outbox;
        this.endpoint = endpoint;
    }

    Outbox outbox() {
        return outbox;
    }

    long lastHeardMillis() {
        return lastHeardMillis;
    }

    long lastPingMillis() {
        return lastPingMillis;
    }

    void pinged(long now) {
        lastPingMillis = now;
    }

    @Override
    protected long getMaxBinaryBufferSize() {
        return endpoint.limits().maxFrameBytes();
    }

    @Override
    protected void onFullBinaryMessage(WebSocketChannel channel, BufferedBinaryMessage message) {
        lastHeardMillis = System.currentTimeMillis();
        message.getData().free();
        answer("null", ChatError.MALFORMED_JSON.exception("frames are JSON text, not binary"));
    }

    @Override
    protected void onFullPongMessage(WebSocketChannel channel, BufferedBinaryMessage message) {
        lastHeardMillis = System.currentTimeMillis();
        message.getData().free();
    }

    @Override
    protected void onFullPingMessage(WebSocketChannel channel, BufferedBinaryMessage message) throws IOException {
        lastHeardMillis = System.currentTimeMillis();
        super.onFullPingMessage(channel, message); // answers with a pong
    }

    @Override
    protected void onFullCloseMessage(WebSocketChannel channel, BufferedBinaryMessage message) throws IOException {
        lastHeardMillis = System.currentTimeMillis();
        super.onFullCloseMessage(channel, message); // answers with a close frame
    }

    /** Reads each text message through {@link BoundedTextReader}, which keeps the frame limit on every read. */
    @Override
    protected void onText(WebSocketChannel channel, StreamSourceFrameChannel message) {
        BoundedTextReader.read(message, endpoint.limits().maxFrameBytes(),
                bytes -> {
                    lastHeardMillis = System.currentTimeMillis();
                    handle(decode(bytes));
                },
                () -> outbox.close(MESSAGE_TOO_BIG, "frame larger than " + endpoint.limits().maxFrameBytes() + " bytes"));
    }

    private static String decode(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return "\u0000 invalid UTF-8"; // parses as malformed JSON, so the client gets a failure answer
        }
    }

    /** Ends every subscription; when the socket closes. */
    void unsubscribeAll() {
        subscriptions.values().forEach(endpoint.subscribers()::unsubscribeClosing);
        subscriptions.clear();
    }

    /** A frame that parsed: the id to echo (as JSON text) and the frame itself. */
    private record Request(String id, JsonObject frame) {
    }

    private void handle(String text) {
        Outcome<Request> request = Outcome.of(READING, () -> read(text));
        if (!request.succeeded()) {
            answer("null", request.failure());
            return;
        }
        String id = request.value().id();
        Outcome<Void> dispatched = Outcome.ofAction(READING, () -> dispatch(id, request.value().frame()));
        if (!dispatched.succeeded()) {
            answer(id, dispatched.failure());
        }
    }

    private static Request read(String text) {
        JsonObject frame = parseFrame(text);
        JsonElement id = frame.get("id");
        return new Request(id == null ? "null" : id.toString(), frame);
    }

    /** Runs the frame's call where it runs; its outcome is answered there. */
    private void dispatch(String id, JsonObject frame) {
        String call = stringField(frame, "call");
        JsonElement bodyElement = frame.has("body") ? frame.get("body") : new JsonObject();
        if (!bodyElement.isJsonObject()) {
            throw ChatError.BODY_NOT_OBJECT.exception("a frame's \"body\" must be a JSON object");
        }
        RequestBody body = RequestBody.of(bodyElement.getAsJsonObject(), sesskey);
        switch (call) {
            case "subscribe" -> endpoint.runStoreWork(() -> answer(id, Outcome.of(SUBSCRIBE, () -> subscribe(id, body))));
            case "unsubscribe" -> endpoint.runStoreWork(() -> answer(id, Outcome.of(UNSUBSCRIBE, () -> unsubscribe(body))));
            default -> {
                CallTable.Route route = endpoint.calls().route(call);
                if (route == null) {
                    throw ChatError.UNKNOWN_CALL.exception("no call \"" + abbreviate(call) + "\"; the calls are "
                            + endpoint.knownCalls());
                }
                route.run(() -> answer(id, Outcome.of(route.overSocket(), () -> route.call().answer(body))));
            }
        }
    }

    /** Returns null: the answer goes out inside ChannelSubscribers, ahead of the backlog it announces. */
    private byte[] subscribe(String id, RequestBody body) {
        String channel = body.string("channel");
        long after = body.has("after") ? body.integer("after") : 0;
        endpoint.requireLiveSession(sesskey);
        if (!subscriptions.containsKey(channel) && subscriptions.size() >= endpoint.limits().maxSubscriptions()) {
            throw ChatError.LIMIT_REACHED.exception("a socket may hold " + endpoint.limits().maxSubscriptions()
                    + " subscriptions; unsubscribe from one first");
        }
        Subscription previous = subscriptions.remove(channel);
        if (previous != null) {
            endpoint.subscribers().unsubscribe(previous); // subscribing again restarts from the new "after"
        }
        ChannelSubscribers.WindowAnswer answer = (first, last) -> Json.withId(id, Json.window(first, last));
        endpoint.subscribers().subscribe(channel, after, outbox, subscription -> record(channel, subscription), answer);
        return null;
    }

    /**
     * Keeps a new subscription, before its answer goes out. With a store that blocks, a socket's calls run on a pool,
     * so two subscribes to one channel may overlap (the later one wins, the other ends), and the socket may have
     * closed meanwhile (its close task has already ended what it found; this one ends too).
     */
    private void record(String channel, Subscription subscription) {
        Subscription displaced = subscriptions.put(channel, subscription);
        if (displaced != null) {
            endpoint.subscribers().unsubscribe(displaced);
        }
        if (outbox.isClosed() && subscriptions.remove(channel, subscription)) {
            endpoint.subscribers().unsubscribeClosing(subscription);
        }
    }

    private byte[] unsubscribe(RequestBody body) {
        String channel = body.string("channel");
        endpoint.requireLiveSession(sesskey);
        Subscription subscription = subscriptions.remove(channel);
        if (subscription == null) {
            throw ChatError.FIELD_INVALID.exception("this socket is not subscribed to \"" + abbreviate(channel) + "\"");
        }
        endpoint.subscribers().unsubscribe(subscription);
        return Json.TRUE;
    }

    /**
     * The one place where a call's outcome becomes an answer frame: its bytes (none when the call answered by
     * itself), or its failure as the envelope, each with the request's id.
     */
    private void answer(String id, Outcome<byte[]> outcome) {
        if (!outcome.succeeded()) {
            answer(id, outcome.failure());
        } else if (outcome.value() != null) {
            outbox.send(Json.withId(id, outcome.value()));
        }
    }

    private void answer(String id, ChatException failure) {
        outbox.send(Json.withId(id, Json.failure(failure.error().name(), failure.reason())));
    }

    private static JsonObject parseFrame(String text) {
        JsonReader reader = new JsonReader(new StringReader(text));
        reader.setStrictness(Strictness.STRICT);
        JsonElement frame;
        try {
            frame = JSON.read(reader);
            if (reader.peek() != JsonToken.END_DOCUMENT) {
                throw ChatError.MALFORMED_JSON.exception("there is more after the frame's JSON object");
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof ChatException chat) {
                throw chat;
            }
            throw ChatError.MALFORMED_JSON.exception("the frame is not valid JSON (RFC 8259)");
        }
        if (frame == null || !frame.isJsonObject()) {
            throw ChatError.BODY_NOT_OBJECT.exception("a frame must be a JSON object {\"id\", \"call\", \"body\"}");
        }
        return frame.getAsJsonObject();
    }

    private static String stringField(JsonObject frame, String name) {
        JsonElement value = frame.get(name);
        if (value == null) {
            throw ChatError.FIELD_MISSING.exception("missing field \"" + name + "\" (a string) in the frame");
        }
        if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isString()) {
            throw ChatError.FIELD_WRONG_TYPE.exception("field \"" + name + "\" of the frame must be a string");
        }
        return value.getAsString();
    }

    private static String abbreviate(String text) {
        return text.length() <= 64 ? text : text.substring(0, 64) + "...";
    }
}
