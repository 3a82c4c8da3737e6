package chat.push;

import chat.error.ChatException;
import chat.store.UncheckedReads;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The subscribers (open sockets) of each session, so that a session's end (logoff, or expiry found by
 * {@link #closeEnded}) reaches each of them.
 */
public final class SessionSubscribers {
    private final Map<Long, Set<Subscriber<?>>> bySession = new ConcurrentHashMap<>();

    public void opened(long sesskey, Subscriber<?> subscriber) {
        bySession.computeIfAbsent(sesskey, key -> ConcurrentHashMap.newKeySet()).add(subscriber);
    }

    public void closed(long sesskey, Subscriber<?> subscriber) {
        bySession.computeIfPresent(sesskey, (key, subscribers) -> {
            subscribers.remove(subscriber);
            return subscribers.isEmpty() ? null : subscribers;
        });
    }

    void sessionEnded(long sesskey) {
        Set<Subscriber<?>> subscribers = bySession.remove(sesskey);
        if (subscribers != null) {
            subscribers.forEach(Subscriber::sessionEnded);
        }
    }

    /**
     * Tells the subscribers of sessions that expired; run periodically. When the store cannot tell (Redis not
     * answering), they stay: an unanswered question is not an ended session.
     */
    public void closeEnded(UncheckedReads store) {
        try {
            for (Long sesskey : bySession.keySet()) {
                if (!store.isSessionLive(sesskey)) {
                    sessionEnded(sesskey);
                }
            }
        } catch (ChatException storeUnavailable) {
            // try again at the next check
        }
    }
}
