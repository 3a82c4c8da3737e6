package chat.ws;

import chat.api.Json;
import chat.api.RequestBody;
import chat.error.ChatError;
import chat.push.ChannelSubscribers;
import chat.push.Presence;
import chat.push.Subscription;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One socket's subscriptions, by channel: subscribe and unsubscribe (spec ws/4-7), and their end with the socket.
 * Presence counts the socket once in each channel it holds here, from the moment its subscription is kept to the
 * moment it is let go.
 */
final class SocketSubscriptions {
    private final SocketOut socket; // the socket's Outbox
    private final ChannelSubscribers<Frame> subscribers;
    private final Presence presence; // null without presence
    private final int maxSubscriptions;
    private final Map<String, Subscription<Frame>> byChannel = new ConcurrentHashMap<>();
    private volatile String username; // the session's, the same for every subscribe of the socket

    SocketSubscriptions(SocketOut socket, ChannelSubscribers<Frame> subscribers, Presence presence,
                        int maxSubscriptions) {
        this.socket = socket;
        this.subscribers = subscribers;
        this.presence = presence;
        this.maxSubscriptions = maxSubscriptions;
    }

    /**
     * Subscribes the session's {@code user}; answers by itself (inside ChannelSubscribers, ahead of the backlog it
     * announces).
     */
    void subscribe(String id, String channel, long after, String epoch, String user) {
        username = user;
        if (!byChannel.containsKey(channel) && byChannel.size() >= maxSubscriptions) {
            throw ChatError.LIMIT_REACHED.exception("a socket may hold " + maxSubscriptions
                    + " subscriptions; unsubscribe from one first");
        }
        Subscription<Frame> previous = byChannel.remove(channel);
        if (previous != null) {
            subscribers.unsubscribe(previous); // subscribing again restarts from the new "after"
            left(channel);
        }
        subscribers.subscribe(channel, after, epoch, user, socket, subscription -> record(channel, subscription),
                (first, last, current) -> Frame.text(Json.withId(id, Json.window(first, last, current))));
    }

    /**
     * Keeps a new subscription, before its answer goes out. With a store that blocks, a socket's calls run on a pool,
     * so two subscribes to one channel may overlap (the later one wins, the other ends), and the socket may have
     * closed meanwhile (its close task has already ended what it found; this one ends too).
     */
    private void record(String channel, Subscription<Frame> subscription) {
        Subscription<Frame> displaced = byChannel.put(channel, subscription);
        if (displaced != null) {
            subscribers.unsubscribe(displaced);
        } else if (presence != null) {
            presence.subscribed(channel, username); // before the answer: a who after it counts this socket
        }
        if (socket.isClosed() && byChannel.remove(channel, subscription)) {
            subscribers.unsubscribeClosing(subscription);
            left(channel);
        }
    }

    private void left(String channel) {
        if (presence != null) {
            presence.unsubscribed(channel, username);
        }
    }

    /** Unsubscribes; the answer is {@code true}, after the last event of the channel. */
    byte[] unsubscribe(String channel) {
        Subscription<Frame> subscription = byChannel.remove(channel);
        if (subscription == null) {
            throw ChatError.FIELD_INVALID.exception("this socket is not subscribed to \""
                    + RequestBody.abbreviate(channel, 64) + "\"");
        }
        subscribers.unsubscribe(subscription);
        left(channel);
        return Json.TRUE;
    }

    int count() {
        return byChannel.size();
    }

    /** Ends every subscription, without waiting: when the socket closes, on its IO thread. */
    void endAll() {
        for (String channel : byChannel.keySet()) {
            Subscription<Frame> subscription = byChannel.remove(channel);
            if (subscription != null) {
                subscribers.unsubscribeClosing(subscription);
                left(channel);
            }
        }
    }
}
