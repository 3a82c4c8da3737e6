package chat.cli;

import com.google.gson.JsonObject;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;

import java.io.EOFException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Follows channels over one WebSocket: subscribes to each after the last id shown of it, passes on message, gap and
 * presence events, starts a channel over from its beginning when the server says its history was reset, and when
 * the connection drops (a restart, a network blip, "too slow") reconnects with backoff and resubscribes every
 * channel from its last id shown, so nothing still kept is lost or shown twice. Ends when the session ends.
 * {@link ChannelFeed} uses it, and polls instead when it stops with {@link Stop#NO_WEBSOCKET}. A subscription the
 * server throttles (RATE_LIMITED with "retry_after") is asked for again on the same socket once the wait is over;
 * one it refuses otherwise (no such channel, LIMIT_REACHED) is dropped and said to the listener.
 *
 * <p>Each subscribe is sent with the id {@code "subscribe:" + channel}, so its answer names its channel however
 * many are pending.
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
    private static final String SUBSCRIBE_ID = "subscribe:";

    /** Where one channel is: the last id shown and the epoch of the history it is in (spec ws/15; null until told). */
    private static final class Position {
        long lastSeen;
        String epoch;

        Position(long lastSeen) {
            this.lastSeen = lastSeen;
        }
    }

    private final Function<WebSocketListener, WebSocket> openSocket;
    private final ScheduledExecutorService reconnects;
    private final FeedListener listener;
    private final boolean stopsWithNothingFollowed; // tail's one channel: a refusal ends it
    private final CompletableFuture<Stop> stopped = new CompletableFuture<>();
    // Guarded by this, since the sockets' threads, the caller's and close() meet here.
    private final Map<String, Position> channels = new LinkedHashMap<>();
    private Connection current; // null while a reconnection waits, and once stopped
    private boolean everConnected;
    private long backoffMillis = FIRST_BACKOFF_MILLIS;

    /**
     * Follows channels added with {@link #follow}, over one socket.
     *
     * @param openSocket opens the server's /ws as the session, reporting to the listener (ChatClient.openWebSocket)
     * @param reconnects runs the reconnections; its owner shuts it down
     */
    PushFollower(Function<WebSocketListener, WebSocket> openSocket, ScheduledExecutorService reconnects,
                 FeedListener listener) {
        this(openSocket, reconnects, listener, false);
    }

    /** Follows one channel, as tail does: a refusal to follow it stops the follower. */
    PushFollower(Function<WebSocketListener, WebSocket> openSocket, ScheduledExecutorService reconnects,
                 String channel, long after, Consumer<Message> messages, Consumer<String> notices) {
        this(openSocket, reconnects, new FeedListener() {
            @Override
            public void message(String ignored, Message message) {
                messages.accept(message);
            }

            @Override
            public void notice(String text) {
                notices.accept(text);
            }

            @Override
            public void refused(String ignored, String reason, String errorCode) {
                notices.accept("error: " + reason);
            }
        }, true);
        follow(channel, after);
    }

    private PushFollower(Function<WebSocketListener, WebSocket> openSocket, ScheduledExecutorService reconnects,
                         FeedListener listener, boolean stopsWithNothingFollowed) {
        this.openSocket = openSocket;
        this.reconnects = reconnects;
        this.listener = listener;
        this.stopsWithNothingFollowed = stopsWithNothingFollowed;
    }

    void start() {
        connect();
    }

    /** Completes when following stops (session ended, no WebSocket, or closed), with why. */
    CompletableFuture<Stop> stopped() {
        return stopped;
    }

    /** Follows {@code channel} from after {@code after} too; at once if connected, else once connected. */
    synchronized void follow(String channel, long after) {
        channels.put(channel, new Position(after));
        if (current != null && current.open) {
            subscribe(current.socket, channel);
        }
    }

    /** Stops following {@code channel}; its events still in flight are ignored. */
    synchronized void unfollow(String channel) {
        if (channels.remove(channel) != null && current != null && current.open) {
            JsonObject body = new JsonObject();
            body.addProperty("channel", channel);
            send(current.socket, "unsubscribe:" + channel, "unsubscribe", body);
        }
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
        private boolean open; // guarded by PushFollower.this: subscribes may be sent

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
            listener.notice("(reconnected to " + String.join(", ", channels.keySet()) + ")");
        }
        everConnected = true;
        backoffMillis = FIRST_BACKOFF_MILLIS;
        connection.socket = webSocket;
        connection.open = true;
        for (String channel : channels.keySet()) {
            subscribe(webSocket, channel);
        }
    }

    /** Asks for the channel's events after the last id shown: what was missed first, then each new one. */
    private void subscribe(WebSocket webSocket, String channel) {
        Position position = channels.get(channel);
        JsonObject body = new JsonObject();
        body.addProperty("channel", channel);
        body.addProperty("after", position.lastSeen);
        if (position.epoch != null) {
            body.addProperty("epoch", position.epoch); // so a history lost meanwhile is said, even if outgrown
        }
        send(webSocket, SUBSCRIBE_ID + channel, "subscribe", body);
    }

    private static void send(WebSocket webSocket, String id, String call, JsonObject body) {
        JsonObject frame = new JsonObject();
        frame.addProperty("id", id);
        frame.addProperty("call", call);
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
            listener.notice("(ignored a frame from the server that is not the chat protocol: " + shortened(text) + ")");
            return;
        }
        if (frame instanceof PushFrame.MessageEvent event) {
            Position position = channels.get(event.channel());
            if (position != null && event.message().id() > position.lastSeen) {
                listener.message(event.channel(), event.message());
                position.lastSeen = event.message().id();
            }
        } else if (frame instanceof PushFrame.Answer answer && answer.epoch() != null) {
            Position position = channels.get(subscribed(answer.id()));
            if (position != null) {
                position.epoch = answer.epoch();
            }
        } else if (frame instanceof PushFrame.ResetEvent reset && channels.containsKey(reset.channel())) {
            // The ids shown so far are another history's: the same ids will come again, as other messages.
            listener.notice(ChannelFollower.resetNotice(reset.channel()));
            Position position = channels.get(reset.channel());
            position.epoch = reset.epoch();
            position.lastSeen = 0;
        } else if (frame instanceof PushFrame.GapEvent gap && channels.containsKey(gap.channel())) {
            Position position = channels.get(gap.channel());
            if (position.lastSeen > 0) {
                listener.notice(ChannelFollower.gapNotice(gap.channel(), gap.from(), gap.to()));
            }
            position.lastSeen = Math.max(position.lastSeen, gap.to());
        } else if (frame instanceof PushFrame.PresenceEvent presence && channels.containsKey(presence.channel())) {
            listener.presence(presence.channel(), presence.username(), presence.joined());
        } else if (frame instanceof PushFrame.Refusal refusal) {
            refused(connection, refusal);
        }
    }

    private void refused(Connection connection, PushFrame.Refusal refusal) {
        String channel = subscribed(refusal.id());
        if (channel == null || !channels.containsKey(channel)) {
            listener.notice("error: " + refusal.reason()); // an unsubscribe's, or a frame the server could not read
        } else if (refusal.retryAfter() != null) {
            // Waiting helps, so wait rather than stop: however long it asks for, since following is what tail and
            // join are for, and however often, since the server gives a token back each interval.
            listener.notice(RetryAfter.retryingNotice(refusal.error(), refusal.reason(), refusal.retryAfter()));
            reconnects.schedule(() -> resubscribe(connection, channel), refusal.retryAfter().toMillis(),
                    TimeUnit.MILLISECONDS);
        } else {
            channels.remove(channel);
            listener.refused(channel, refusal.reason(), refusal.error());
            if (stopsWithNothingFollowed && channels.isEmpty()) {
                stop(Stop.CLOSED);
            }
        }
    }

    /** The channel a subscribe's answer is for, from the id it was sent with; null for any other answer. */
    private static String subscribed(String id) {
        return id != null && id.startsWith(SUBSCRIBE_ID) ? id.substring(SUBSCRIBE_ID.length()) : null;
    }

    /** After a throttled subscribe: asks again, unless that socket has been replaced or closed, or it was left. */
    private synchronized void resubscribe(Connection connection, String channel) {
        if (connection == current && connection.open && channels.containsKey(channel)) {
            subscribe(connection.socket, channel);
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
            dropped("the server closed the connection (" + code + (reason.isEmpty() ? "" : " " + reason) + ")");
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
            dropped(whyFailed(t, response));
        }
    }

    /**
     * A failed or refused connection in plain words: OkHttp's own ("Expected HTTP 101 response but was '503 Service
     * Unavailable'", a bare EOFException) speak of the library, not of what happened.
     */
    static String whyFailed(Throwable t, Response response) {
        if (response != null) {
            String hint = switch (response.code()) {
                case 503 -> " (server busy)";
                case 429 -> " (too many connections or calls)";
                case 502, 504 -> " (no server behind the proxy)";
                default -> "";
            };
            return "push connection refused: " + response.code()
                    + (response.message().isEmpty() ? "" : " " + response.message()) + hint;
        }
        if (t instanceof ConnectException) {
            return "cannot reach the server (connection refused)";
        }
        if (t instanceof UnknownHostException) {
            return "cannot find the server's host";
        }
        if (t instanceof SocketTimeoutException) {
            return "the server did not answer in time";
        }
        if (t instanceof EOFException) {
            return "the connection was cut";
        }
        return "connection lost (" + (t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName()) + ")";
    }

    /** The current socket has ended: no socket is current until the reconnection, so a second report is ignored. */
    private void dropped(String why) {
        current = null;
        long delay = backoffMillis;
        backoffMillis = Math.min(MAX_BACKOFF_MILLIS, backoffMillis * 2);
        listener.notice("(" + why + "; reconnecting in " + seconds(delay) + ")");
        reconnects.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
    }

    private static String seconds(long millis) {
        return millis % 1000 == 0 ? millis / 1000 + " s" : String.format(Locale.ROOT, "%.2f s", millis / 1000.0);
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
