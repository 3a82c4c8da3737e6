package chat.push;

import chat.error.ChatError;
import chat.error.ChatException;
import chat.store.Message;
import chat.store.UncheckedReads;

import java.util.List;
import java.util.concurrent.Executor;

/**
 * One subscriber's subscription to one channel: delivers the channel's messages in id order, each once, and says so
 * with a gap event when some were lost to the window.
 *
 * <p>Notifications of new messages may arrive out of order (posts race) or before the subscription has caught
 * up with its backlog. So each one is judged against the last id delivered: an old id is dropped, the next id is
 * sent, and a later id first makes the subscription fetch the hole from the store, which has every message up to
 * a notified one (ids are appended in order). What the window dropped meanwhile becomes a gap event.
 *
 * @param <E> what an event is to the subscriber's transport
 */
public final class Subscription<E> {
    private final String channel;
    private final UncheckedReads store;
    private final EventFormat<E> format;
    private final Subscriber<E> subscriber;
    private final Executor deliveryThread;
    private final String username; // whose subscription: told of others' joins and leaves, not of their own; or null
    private long lastDelivered; // guarded by this
    private String epoch; // guarded by this: the history lastDelivered is an id of
    private volatile boolean ended; // written under this lock by end(), without it by endNow()

    Subscription(String channel, long after, String epoch, UncheckedReads store, EventFormat<E> format,
                 Subscriber<E> subscriber, Executor deliveryThread, String username) {
        this.username = username;
        this.epoch = epoch;
        this.channel = channel;
        this.store = store;
        this.format = format;
        this.subscriber = subscriber;
        this.deliveryThread = deliveryThread;
        this.lastDelivered = Math.max(0, after);
    }

    String channel() {
        return channel;
    }

    /** Where new messages are offered to this subscription (see {@link ChannelSubscribers}). */
    Executor deliveryThread() {
        return deliveryThread;
    }

    /**
     * Ends delivery: once this returns nothing more is sent, so an unsubscribe's answer comes after the last event.
     * Waits for a delivery under way (a backlog or a hole read from the store): off the IO threads with a store that
     * blocks.
     */
    synchronized void end() {
        ended = true;
    }

    /** Ends delivery without waiting: for a subscriber that is closing, to which nothing more can be sent anyway. */
    void endNow() {
        ended = true;
    }

    /**
     * Starts over in the history {@code epoch}, whose newest id is {@code last}, unless already there: says so with
     * a reset event, then delivers what is kept from the start. For a position that is not in this history: one
     * ahead of its newest id, or one of a history that was lost (spec ws/15).
     */
    synchronized void restart(String epoch, long last) {
        if (ended || (this.epoch.equals(epoch) && lastDelivered <= last)) {
            return;
        }
        this.epoch = epoch;
        lastDelivered = 0;
        subscriber.send(format.reset(channel, epoch, last));
        catchUp(last);
    }

    /**
     * A live subscription's history was found lost (here, or by another replica, which replaced the epoch): starts
     * over in {@code epoch} unless already in it (a subscription made since, or restarted by an earlier notice), up
     * to the store's newest id as read now, not when the loss was noticed, since the new history's first messages
     * may have been offered meanwhile and dropped as ids already delivered.
     *
     * @param atLeast the newest id known when the loss was noticed, should the store not answer now
     */
    synchronized void startOver(String epoch, long atLeast) {
        if (ended || this.epoch.equals(epoch)) {
            return;
        }
        long newest = atLeast;
        try {
            newest = Math.max(atLeast, store.lastMessageId(channel));
        } catch (ChatException e) {
            // the catch-up of the next notice, or of pub/sub coming back, fills in what this read would have
        }
        this.epoch = epoch;
        lastDelivered = 0;
        subscriber.send(format.reset(channel, epoch, newest));
        catchUp(newest);
    }

    /**
     * Sends a join or leave of {@code subject} unless ended, or the subject is this subscription's own user (who knows):
     * under the lock, so that it never goes before the subscribe's answer, nor into the middle of a backlog.
     */
    synchronized void announce(E event, String subject) {
        if (!ended && !subject.equals(username)) {
            subscriber.send(event);
        }
    }

    /** A newly posted message (any order, possibly already delivered), with its shared event. */
    synchronized void offer(Message message, E event) {
        if (ended || message.id() <= lastDelivered) {
            return;
        }
        if (message.id() > lastDelivered + 1) {
            catchUp(message.id() - 1);
        }
        if (message.id() == lastDelivered + 1) {
            subscriber.send(event);
            lastDelivered = message.id();
        }
    }

    /**
     * Delivers everything kept after the last delivered id, up to and including {@code upTo}, from the store; false
     * when the store did not answer, so that a caller with nothing else to come (a catch-up after pub/sub was down)
     * tries again. Otherwise the next message offered fills the hole.
     */
    synchronized boolean catchUp(long upTo) {
        long expected = lastDelivered + 1;
        if (ended || upTo < expected) {
            return true;
        }
        List<Message> kept;
        try {
            kept = store.range(channel, expected, upTo);
        } catch (ChatException e) {
            return e.error() != ChatError.STORE_UNAVAILABLE; // a channel gone has nothing more to deliver
        }
        deliver(kept, upTo);
        return true;
    }

    /**
     * Delivers, in order, the messages after the last delivered id up to and including {@code upTo}, given what the
     * store keeps of them (ids ascending; older ones are skipped); what the window dropped becomes a gap event.
     */
    synchronized void deliver(List<Message> kept, long upTo) {
        boolean anyKept = false;
        for (Message message : kept) {
            if (ended) {
                return;
            }
            if (message.id() <= lastDelivered || message.id() > upTo) {
                continue;
            }
            anyKept = true;
            if (message.id() > lastDelivered + 1) {
                subscriber.send(format.gap(channel, lastDelivered + 1, message.id() - 1));
            }
            subscriber.send(format.message(channel, message));
            lastDelivered = message.id();
        }
        if (!anyKept && !ended && upTo > lastDelivered) { // all of them were dropped before they could be sent
            subscriber.send(format.gap(channel, lastDelivered + 1, upTo));
            lastDelivered = upTo;
        }
    }
}
