package chat.push;

import chat.store.ChatStore;
import chat.store.Message;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * Who listens to which channel, and the fan-out of each new message to them. A message's event is encoded once,
 * however many subscribers receive it.
 *
 * <p>Each socket belongs to one IO thread, and a write from any other thread costs a hand-off and a wake-up. So a
 * message is handed to each IO thread once, as one task that writes to all of that thread's subscribers. The
 * poster is not held up, and order needs no care here: each subscription sequences by id.
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

    /** Offers a new message to the channel's subscribers, on the IO thread of each one's socket. */
    void posted(String channel, Message message) {
        Set<Subscription> subscribers = byChannel.get(channel);
        if (subscribers == null || subscribers.isEmpty()) {
            return;
        }
        byte[] event = Events.message(channel, message);
        Map<Executor, List<Subscription>> byThread = new HashMap<>();
        for (Subscription subscription : subscribers) {
            byThread.computeIfAbsent(subscription.ioThread(), thread -> new ArrayList<>()).add(subscription);
        }
        byThread.forEach((thread, group) -> thread.execute(() -> {
            for (Subscription subscription : group) {
                subscription.offer(message, event);
            }
        }));
    }
}
