package chat.push;

import chat.store.ChatStore;
import chat.store.Message;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who listens to which channel, and the fan-out of each new message to them. A message's event is encoded once,
 * however many subscribers receive it.
 */
public final class ChannelSubscribers {
    private final ChatStore store;
    private final ConcurrentHashMap<String, Set<Subscription>> byChannel = new ConcurrentHashMap<>();

    public ChannelSubscribers(ChatStore store) {
        this.store = store;
    }

    /** How a subscribe call is answered, given the kept window (0 and 0 for an empty channel). */
    @FunctionalInterface
    public interface WindowAnswer {
        byte[] frame(long first, long last);
    }

    /**
     * Subscribes: registers, sends the answer (built from the kept window), then the kept messages after
     * {@code after}, preceded by a gap event if some between were dropped. New messages posted meanwhile wait
     * for the subscription's lock, so they follow in order and none is lost. Throws CHANNEL_NOT_FOUND.
     */
    public Subscription subscribe(String channel, long after, Outbox outbox, WindowAnswer answer) {
        Subscription subscription = new Subscription(channel, after, store, outbox);
        synchronized (subscription) {
            List<Message> kept = store.range(channel, 1, Long.MAX_VALUE);
            byChannel.computeIfAbsent(channel, name -> ConcurrentHashMap.newKeySet()).add(subscription);
            long first = kept.isEmpty() ? 0 : kept.get(0).id();
            long last = kept.isEmpty() ? 0 : kept.get(kept.size() - 1).id();
            outbox.send(answer.frame(first, last));
            subscription.catchUp(Math.max(last, store.lastMessageId(channel)));
        }
        return subscription;
    }

    public void unsubscribe(Subscription subscription) {
        Set<Subscription> subscribers = byChannel.get(subscription.channel());
        if (subscribers != null) {
            subscribers.remove(subscription);
        }
    }

    /** Offers a new message to the channel's subscribers. */
    void posted(String channel, Message message) {
        Set<Subscription> subscribers = byChannel.get(channel);
        if (subscribers == null || subscribers.isEmpty()) {
            return;
        }
        byte[] event = Events.message(channel, message);
        for (Subscription subscription : subscribers) {
            subscription.offer(message, event);
        }
    }
}
