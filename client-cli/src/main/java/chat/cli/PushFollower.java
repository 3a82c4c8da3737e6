package chat.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Follows a channel over the server's WebSocket: subscribes after the last id shown, prints message and gap
 * events, and when the connection drops (a restart, a network blip, "too slow") reconnects with backoff and
 * resubscribes from the last id shown, so nothing still kept is lost or shown twice. Ends when the session ends.
 * {@link ChannelFeed} uses it, and polls instead when it stops with {@link Stop#NO_WEBSOCKET}.
 */
final class PushFollower implements AutoCloseable {
    /** Why following stopped. */
    enum Stop { CLOSED, SESSION_ENDED, NO_WEBSOCKET }

    private static final long MAX_BACKOFF_MILLIS = 10_000;

    private final Function<WebSocketListener, WebSocket> openSocket;
    private final ScheduledExecutorService reconnects;
    private final String channel;
    private final Consumer<Message> messages;
    private final Consumer<String> notices;
    private final CompletableFuture<Stop> stopped = new CompletableFuture<>();
    private volatile long lastSeen;
    private volatile boolean everConnected;
    private volatile long backoffMillis = 250;
    private volatile WebSocket socket;

    /**
     * @param openSocket opens the server's /ws as the session, reporting to the listener (ChatClient.openWebSocket)
     * @param reconnects runs the reconnections; its owner shuts it down
     * @param messages   receives each message once, in id order
     * @param notices    receives what a person should know: gaps, reconnections, refusals
     */
    PushFollower(Function<WebSocketListener, WebSocket> openSocket, ScheduledExecutorService reconnects,
                 String channel, long after, Consumer<Message> messages, Consumer<String> notices) {
        this.openSocket = openSocket;
        this.reconnects = reconnects;
        this.channel = channel;
        this.lastSeen = after;
        this.messages = messages;
        this.notices = notices;
    }

    void start() {
        connect();
    }

    /** Completes when following stops (session ended, no WebSocket, or closed), with why. */
    CompletableFuture<Stop> stopped() {
        return stopped;
    }

    private void connect() {
        if (stopped.isDone()) {
            return; // closed while a reconnection was waiting
        }
        socket = openSocket.apply(new WebSocketListener() {
            @Override
            public void onOpen(WebSocket webSocket, Response response) {
                if (everConnected) {
                    notices.accept("(reconnected to " + channel + ")");
                }
                everConnected = true;
                backoffMillis = 250;
                JsonObject body = new JsonObject();
                body.addProperty("channel", channel);
                body.addProperty("after", lastSeen);
                JsonObject frame = new JsonObject();
                frame.addProperty("id", 1);
                frame.addProperty("call", "subscribe");
                frame.add("body", body);
                webSocket.send(frame.toString());
            }

            @Override
            public void onMessage(WebSocket webSocket, String text) {
                handle(JsonParser.parseString(text).getAsJsonObject());
            }

            @Override
            public void onClosing(WebSocket webSocket, int code, String reason) {
                webSocket.close(1000, null);
                if (code == 1008) {
                    finish(Stop.SESSION_ENDED);
                } else {
                    retry("the server closed the connection (" + code + " " + reason + ")");
                }
            }

            @Override
            public void onFailure(WebSocket webSocket, Throwable t, Response response) {
                if (response != null && !everConnected && (response.code() == 404 || response.code() == 405)) {
                    finish(Stop.NO_WEBSOCKET);
                } else if (response != null && response.code() == 401) {
                    finish(Stop.SESSION_ENDED);
                } else {
                    // An abrupt end (the server's process killed, say) comes as an EOFException without a message.
                    String why = t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
                    retry("connection lost (" + why + ")");
                }
            }
        });
    }

    private synchronized void handle(JsonObject frame) {
        if (frame.has("event")) {
            String event = frame.get("event").getAsString();
            if ("message".equals(event)) {
                Message message = Message.from(frame.getAsJsonObject("data"));
                if (message.id() > lastSeen) {
                    messages.accept(message);
                    lastSeen = message.id();
                }
            } else if ("gap".equals(event)) {
                long from = frame.get("from").getAsLong();
                long to = frame.get("to").getAsLong();
                if (lastSeen > 0) {
                    notices.accept("(" + channel + ": messages " + from + " to " + to
                            + " were dropped by the server's window before they could be shown)");
                }
                lastSeen = Math.max(lastSeen, to);
            }
        } else if (frame.has("status") && !frame.get("status").getAsBoolean()) {
            notices.accept("error: " + frame.get("data").getAsString());
            finish(Stop.CLOSED);
        }
    }

    private void retry(String why) {
        if (stopped.isDone()) {
            return;
        }
        long delay = backoffMillis;
        backoffMillis = Math.min(MAX_BACKOFF_MILLIS, backoffMillis * 2);
        notices.accept("(" + why + "; reconnecting in " + delay + " ms)");
        reconnects.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
    }

    private void finish(Stop why) {
        stopped.complete(why);
    }

    @Override
    public void close() {
        finish(Stop.CLOSED);
        WebSocket current = socket;
        if (current != null) {
            current.close(1000, null);
        }
    }
}
