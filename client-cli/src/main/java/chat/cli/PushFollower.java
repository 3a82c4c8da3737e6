package chat.cli;

import com.google.gson.JsonObject;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Follows a channel over the server's WebSocket: subscribes after the last id shown, passes on message and gap
 * events, starts over from the channel's beginning when the server says its history was reset, and when the connection drops (a restart, a network blip, "too slow") reconnects with backoff and
 * resubscribes from the last id shown, so nothing still kept is lost or shown twice. Ends when the session ends.
 * {@link ChannelFeed} uses it, and polls instead when it stops with {@link Stop#NO_WEBSOCKET}. A subscription the
 * server throttles (RATE_LIMITED with "retry_after") is asked for again on the same socket once the wait is over.
 *
 * <p>One socket is current at a time. OkHttp reports each socket's events on that socket's own thread, so an old
 * socket may still report while its successor is open, and one socket may report its end twice (closing, then a
 * failure); only the current socket's reports count, and its end only once, so each drop schedules one reconnect.
 */
final class PushFollower implements AutoCloseable {
    /** Why following stopped. */
    enum Stop { CLOSED, SESSION_ENDED, NO_WEBSOCKET }

    private static final long FIRST_BACKOFF_MILLIS = 250;
    private static final long MAX_BACKOFF_MILLIS = 10_000;

    private final Function<WebSocketListener, WebSocket> openSocket;
    private final ScheduledExecutorService reconnects;
    private final String channel;
    private final Consumer<Message> messages;
    private final Consumer<String> notices;
    private final CompletableFuture<Stop> stopped = new CompletableFuture<>();
    // Guarded by this, since the sockets' threads and close() meet here.
    private Connection current; // null while a reconnection waits, and once stopped
    private long lastSeen;
    private String epoch; // of the history lastSeen is in (spec ws/15); null until the first answer
    private boolean everConnected;
    private long backoffMillis = FIRST_BACKOFF_MILLIS;

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

    private synchronized void connect() {
        if (stopped.isDone()) {
            return; // closed while a reconnection was waiting
        }
        Connection connection = new Connection();
        current = connection; // before opening: OkHttp may report a failure to open before newWebSocket returns
        connection.socket = openSocket.apply(connection);
    }

    /** The listener of one socket; it reports to the follower, which heeds only the current one. */
    private final class Connection extends WebSocketListener {
        private WebSocket socket; // guarded by PushFollower.this

        @Override
        public void onOpen(WebSocket webSocket, Response response) {
            opened(this, webSocket);
        }

        @Override
        public void onMessage(WebSocket webSocket, String text) {
            received(this, text);
        }

        @Override
        public void onClosing(WebSocket webSocket, int code, String reason) {
            webSocket.close(1000, null);
            closedByServer(this, code, reason);
        }

        @Override
        public void onFailure(WebSocket webSocket, Throwable t, Response response) {
            failed(this, t, response);
        }
    }

    private synchronized void opened(Connection connection, WebSocket webSocket) {
        if (connection != current) {
            webSocket.close(1000, null); // replaced, or closed, while it was opening
            return;
        }
        if (everConnected) {
            notices.accept("(reconnected to " + channel + ")");
        }
        everConnected = true;
        backoffMillis = FIRST_BACKOFF_MILLIS;
        subscribe(webSocket);
    }

    /** Asks for the channel's events after the last id shown: what was missed first, then each new one. */
    private void subscribe(WebSocket webSocket) {
        JsonObject body = new JsonObject();
        body.addProperty("channel", channel);
        body.addProperty("after", lastSeen);
        if (epoch != null) {
            body.addProperty("epoch", epoch); // so a history lost meanwhile is said, even if it has outgrown lastSeen
        }
        JsonObject frame = new JsonObject();
        frame.addProperty("id", 1);
        frame.addProperty("call", "subscribe");
        frame.add("body", body);
        webSocket.send(frame.toString());
    }

    private synchronized void received(Connection connection, String text) {
        if (connection != current) {
            return;
        }
        PushFrame frame;
        try {
            frame = PushFrame.decode(text);
        } catch (RuntimeException e) {
            // Thrown, it would reach OkHttp, which fails the socket: a reconnection called a lost connection.
            notices.accept("(ignored a frame from the server that is not the chat protocol: " + shortened(text) + ")");
            return;
        }
        if (frame instanceof PushFrame.MessageEvent event && event.message().id() > lastSeen) {
            messages.accept(event.message());
            lastSeen = event.message().id();
        } else if (frame instanceof PushFrame.Answer answer && answer.epoch() != null) {
            epoch = answer.epoch();
        } else if (frame instanceof PushFrame.ResetEvent reset) {
            // The ids shown so far are another history's: the same ids will come again, as other messages.
            notices.accept(ChannelFollower.resetNotice(channel));
            epoch = reset.epoch();
            lastSeen = 0;
        } else if (frame instanceof PushFrame.GapEvent gap) {
            if (lastSeen > 0) {
                notices.accept("(" + channel + ": messages " + gap.from() + " to " + gap.to()
                        + " were dropped by the server's window before they could be shown)");
            }
            lastSeen = Math.max(lastSeen, gap.to());
        } else if (frame instanceof PushFrame.Refusal refusal && refusal.retryAfter() != null) {
            // Waiting helps, so wait rather than stop: however long it asks for, since following is what tail is
            // for, and however often, since the server gives a token back each interval.
            notices.accept(RetryAfter.retryingNotice(refusal.error(), refusal.reason(), refusal.retryAfter()));
            reconnects.schedule(() -> resubscribe(connection), refusal.retryAfter().toMillis(), TimeUnit.MILLISECONDS);
        } else if (frame instanceof PushFrame.Refusal refusal) {
            notices.accept("error: " + refusal.reason());
            stop(Stop.CLOSED);
        }
    }

    /** After a throttled subscribe: asks again, unless that socket has been replaced or closed meanwhile. */
    private synchronized void resubscribe(Connection connection) {
        if (connection == current && connection.socket != null) {
            subscribe(connection.socket);
        }
    }

    private static String shortened(String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "...";
    }

    private synchronized void closedByServer(Connection connection, int code, String reason) {
        if (connection != current) {
            return;
        }
        if (code == 1008) {
            stop(Stop.SESSION_ENDED);
        } else {
            dropped("the server closed the connection (" + code + " " + reason + ")");
        }
    }

    private synchronized void failed(Connection connection, Throwable t, Response response) {
        if (connection != current) {
            return;
        }
        if (response != null && !everConnected && (response.code() == 404 || response.code() == 405)) {
            stop(Stop.NO_WEBSOCKET);
        } else if (response != null && response.code() == 401) {
            stop(Stop.SESSION_ENDED);
        } else {
            // An abrupt end (the server's process killed, say) comes as an EOFException without a message.
            String why = t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
            dropped("connection lost (" + why + ")");
        }
    }

    /** The current socket has ended: no socket is current until the reconnection, so a second report is ignored. */
    private void dropped(String why) {
        current = null;
        long delay = backoffMillis;
        backoffMillis = Math.min(MAX_BACKOFF_MILLIS, backoffMillis * 2);
        notices.accept("(" + why + "; reconnecting in " + delay + " ms)");
        reconnects.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
    }

    /** Stops for good, closing the current socket (a second close of a socket that has ended does nothing). */
    private void stop(Stop why) {
        if (current != null && current.socket != null) {
            current.socket.close(1000, null);
        }
        current = null;
        stopped.complete(why);
    }

    @Override
    public synchronized void close() {
        stop(Stop.CLOSED);
    }
}
