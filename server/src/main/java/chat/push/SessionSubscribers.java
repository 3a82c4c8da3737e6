package chat.push;

import chat.error.ChatException;
import chat.store.UncheckedReads;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The subscribers (open sockets) of each session, so that a session's end (logoff, or expiry found by
 * {@link #renewOrClose}) reaches each of them, and so that a session with a socket open is kept alive.
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
     * Renews each session that has a socket open, and tells the subscribers of sessions that ended; run
     * periodically, more often than sessions idle out. A user who only reads, over a socket, calls nothing, yet is
     * there: without this, the session would end under an open socket (ws/14). When the store cannot tell (Redis
     * not answering), the sockets stay: an unanswered question is not an ended session.
     */
    public void renewOrClose(UncheckedReads store) {
        try {
            for (Long sesskey : bySession.keySet()) {
                if (!store.renewSession(sesskey)) {
                    sessionEnded(sesskey);
                }
            }
        } catch (ChatException storeUnavailable) {
            // try again at the next check
        }
    }
}
