package chat.push;

import chat.error.ChatException;
import chat.store.Message;
import chat.store.UncheckedReads;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Who listens to which channel, and the fan-out of each new message to them. A message's event is made once
 * ({@link EventFormat#sharedMessage}), however many subscribers receive it.
 *
 * <p>Each subscriber (a socket) belongs to one IO thread, and a write from any other thread costs a hand-off and a wake-up. So a
 * message is handed to each IO thread once, as one task that writes to all of that thread's subscribers. The
 * subscribers are kept grouped by IO thread as they subscribe, so a post does not regroup a thousand of them. The
 * poster is not held up, and order needs no care here: each subscription sequences by id.
 *
 * <p>A store that blocks (Redis) must not be read on an IO thread, and a subscription reads it to fill a hole. So
 * with such a store, messages are offered on one delivery thread of their own instead.
 *
 * @param <E> what an event is to the subscribers' transport
 */
public final class ChannelSubscribers<E> {
    private static final Logger log = LoggerFactory.getLogger(ChannelSubscribers.class);

    private final UncheckedReads store;
    private final EventFormat<E> format;
    private final Function<Subscriber<E>, Executor> deliveryThread;
    private final ConcurrentHashMap<String, Map<Executor, Set<Subscription<E>>>> byChannel = new ConcurrentHashMap<>();

    private ChannelSubscribers(UncheckedReads store, EventFormat<E> format,
                               Function<Subscriber<E>, Executor> deliveryThread) {
        this.store = store;
        this.format = format;
        this.deliveryThread = deliveryThread;
    }

    /** Offers each message on each subscriber's own thread: for a store in memory. */
    public static <E> ChannelSubscribers<E> onSubscriberThreads(UncheckedReads store, EventFormat<E> format) {
        return new ChannelSubscribers<>(store, format, Subscriber::thread);
    }

    /** Offers each message on the given executor: for a store that blocks. */
    public static <E> ChannelSubscribers<E> on(Executor delivery, UncheckedReads store, EventFormat<E> format) {
        return new ChannelSubscribers<>(store, format, subscriber -> delivery);
    }

    /** How a subscribe call is answered, given the kept window (0 and 0 for an empty channel). */
    @FunctionalInterface
    public interface WindowAnswer<E> {
        E answer(long first, long last);
    }

    /**
     * Subscribes: registers, hands the subscription to {@code registered}, sends the answer (built from the kept
     * window), then the kept messages after {@code after}, preceded by a gap event if some between were dropped.
     * New messages posted meanwhile wait for the subscription's lock, so they follow in order and none is lost.
     * Throws CHANNEL_NOT_FOUND, or the store's failure, always before the answer: a call gets one answer.
     *
     * <p>The caller records the subscription in {@code registered}, not once this returns: a client may send its
     * next call (an unsubscribe) as soon as it reads the answer, and with a store that blocks that call runs on
     * another thread, which must find the subscription.
     */
    public void subscribe(String channel, long after, Subscriber<E> subscriber, Consumer<Subscription<E>> registered,
                          WindowAnswer<E> answer) {
        Subscription<E> subscription = new Subscription<>(channel, after, store, format, subscriber,
                deliveryThread.apply(subscriber));
        synchronized (subscription) {
            List<Message> kept = store.range(channel, 1, Long.MAX_VALUE);
            byChannel.computeIfAbsent(channel, name -> new ConcurrentHashMap<>())
                    .computeIfAbsent(subscription.deliveryThread(), thread -> ConcurrentHashMap.newKeySet())
                    .add(subscription);
            long last = kept.isEmpty() ? 0 : kept.get(kept.size() - 1).id();
            List<Message> backlog = kept;
            long newest;
            try {
                // What was posted between the range and the registration was notified to nobody: read it too, all
                // before the answer, so that a store failing now is the call's one answer and no backlog is lost.
                newest = store.lastMessageId(channel);
                if (newest > last) {
                    backlog = new ArrayList<>(kept);
                    backlog.addAll(store.range(channel, last + 1, newest));
                }
            } catch (RuntimeException storeFailed) {
                unsubscribe(subscription);
                throw storeFailed;
            }
            registered.accept(subscription);
            subscriber.send(answer.answer(kept.isEmpty() ? 0 : kept.get(0).id(), last));
            subscription.deliver(backlog, Math.max(last, newest));
        }
    }

    /**
     * Ends a subscription: once this returns, it sends nothing more. Waits for a delivery under way, so with a store
     * that blocks call it off the IO threads (an unsubscribe call runs on the store's pool then).
     */
    public void unsubscribe(Subscription<E> subscription) {
        forget(subscription);
        subscription.end();
    }

    /** Ends the subscriptions of a socket that is closing, without waiting: on its IO thread. */
    public void unsubscribeClosing(Subscription<E> subscription) {
        forget(subscription);
        subscription.endNow();
    }

    private void forget(Subscription<E> subscription) {
        Map<Executor, Set<Subscription<E>>> byThread = byChannel.get(subscription.channel());
        if (byThread != null) {
            Set<Subscription<E>> group = byThread.get(subscription.deliveryThread());
            if (group != null) {
                group.remove(subscription); // an emptied group stays: there are only as many as IO threads
            }
        }
    }

    /** Offers a new message to the channel's subscribers, on each one's delivery thread. */
    void posted(String channel, Message message) {
        Map<Executor, Set<Subscription<E>>> byThread = byChannel.get(channel);
        if (byThread == null) {
            return;
        }
        E event = format.sharedMessage(channel, message);
        byThread.forEach((thread, group) -> {
            if (!group.isEmpty()) {
                thread.execute(() -> {
                    for (Subscription<E> subscription : group) {
                        subscription.offer(message, event);
                    }
                });
            }
        });
    }

    /**
     * Has every subscription deliver what is stored beyond what it has delivered: after notifications may have
     * been missed (a replica's connection to Redis was cut and is back).
     */
    public void catchUpAll() {
        byChannel.forEach((channel, byThread) -> {
            long last;
            try {
                last = store.lastMessageId(channel);
            } catch (ChatException e) {
                log.warn("could not catch up channel \"{}\": {}", channel, e.reason());
                return;
            }
            byThread.forEach((thread, group) -> thread.execute(() -> group.forEach(subscription -> subscription.catchUp(last))));
        });
    }
}
