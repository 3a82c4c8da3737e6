package chat.push;

import chat.error.ChatException;
import chat.store.ChatStore;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The open sockets of each session, so that a session's end (logoff, or expiry found by {@link #closeEnded})
 * closes them with 1008 "session ended".
 */
public final class SessionSockets {
    static final int POLICY_VIOLATION = 1008;

    private final Map<Long, Set<Outbox>> bySession = new ConcurrentHashMap<>();

    public void opened(long sesskey, Outbox outbox) {
        bySession.computeIfAbsent(sesskey, key -> ConcurrentHashMap.newKeySet()).add(outbox);
    }

    public void closed(long sesskey, Outbox outbox) {
        bySession.computeIfPresent(sesskey, (key, outboxes) -> {
            outboxes.remove(outbox);
            return outboxes.isEmpty() ? null : outboxes;
        });
    }

    void sessionEnded(long sesskey) {
        Set<Outbox> outboxes = bySession.remove(sesskey);
        if (outboxes != null) {
            outboxes.forEach(outbox -> outbox.close(POLICY_VIOLATION, "session ended"));
        }
    }

    /**
     * Closes the sockets of sessions that expired; run periodically. When the store cannot tell (Redis not
     * answering), sockets stay open: an unanswered question is not an ended session.
     */
    public void closeEnded(ChatStore store) {
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
