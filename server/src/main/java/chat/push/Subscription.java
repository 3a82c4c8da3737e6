package chat.push;

import chat.core.ChatException;
import chat.store.ChatStore;
import chat.store.Message;

import java.util.List;
import java.util.concurrent.Executor;

/**
 * One socket's subscription to one channel: delivers the channel's messages in id order, each once, and says so
 * with a gap event when some were lost to the window.
 *
 * <p>Notifications of new messages may arrive out of order (posts race) or before the subscription has caught
 * up with its backlog. So each one is judged against the last id delivered: an old id is dropped, the next id is
 * sent, and a later id first makes the subscription fetch the hole from the store, which has every message up to
 * a notified one (ids are appended in order). What the window dropped meanwhile becomes a gap event.
 */
public final class Subscription {
    private final String channel;
    private final ChatStore store;
    private final Outbox outbox;
    private final Executor deliveryThread;
    private long lastDelivered; // guarded by this

    Subscription(String channel, long after, ChatStore store, Outbox outbox, Executor deliveryThread) {
        this.channel = channel;
        this.store = store;
        this.outbox = outbox;
        this.deliveryThread = deliveryThread;
        this.lastDelivered = Math.max(0, after);
    }

    public String channel() {
        return channel;
    }

    /** Where new messages are offered to this subscription (see {@link ChannelSubscribers}). */
    Executor deliveryThread() {
        return deliveryThread;
    }

    /** A newly posted message (any order, possibly already delivered). */
    synchronized void offer(Message message, Frame event) {
        if (message.id() <= lastDelivered) {
            return;
        }
        if (message.id() > lastDelivered + 1) {
            catchUp(message.id() - 1);
        }
        if (message.id() == lastDelivered + 1) {
            outbox.send(event);
            lastDelivered = message.id();
        }
    }

    /** Delivers everything kept after the last delivered id, up to and including {@code upTo}. */
    synchronized void catchUp(long upTo) {
        long expected = lastDelivered + 1;
        if (upTo < expected) {
            return;
        }
        List<Message> kept;
        try {
            kept = store.range(channel, expected, upTo);
        } catch (ChatException e) {
            return; // the channel is gone: nothing to deliver (channels are never deleted today)
        }
        long firstKept = kept.isEmpty() ? upTo + 1 : kept.get(0).id();
        if (firstKept > expected) {
            outbox.send(Events.gap(channel, expected, firstKept - 1));
            lastDelivered = firstKept - 1;
        }
        for (Message message : kept) {
            outbox.send(Events.message(channel, message));
            lastDelivered = message.id();
        }
    }
}
