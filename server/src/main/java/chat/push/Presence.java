package chat.push;

import chat.core.ChatEvents;
import chat.error.ChatException;
import chat.store.PresenceStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * This replica's part of presence (spec 9.1): how many of its subscriptions each user holds in each channel, and
 * the store's entries that follow from that ({@link PresenceStore}). A user with two sockets here is one entry; the
 * entry lingers when the last of them ends, and is live again when one comes back within the grace period.
 *
 * <p>Memory: one {@link Local} per channel and user with a subscription here, so at most the open sockets times
 * --ws-max-subscriptions (sockets are bounded per session, per address and in all); one whose last subscription
 * ended is dropped once the store has been told.
 *
 * <p>Each Local's store writes are made under its lock, deciding from its count at the time, so that a subscribe
 * and an unsubscribe that race leave the store as the count says, whatever order their threads run in.
 */
public final class Presence {
    private static final Logger log = LoggerFactory.getLogger(Presence.class);

    private record Key(String channel, String username) {
    }

    private static final class Local {
        volatile int subscriptions; // changed inside the map's compute, so one at a time per key
        boolean entered; // guarded by this: the store holds this replica's entry live
    }

    private final PresenceStore store;
    private final ChatEvents events;
    private final Executor writes;
    private final Map<Key, Local> locals = new ConcurrentHashMap<>();

    /**
     * @param events where joins and leaves go: in memory straight to push; on Redis nowhere, as the store's scripts
     *               publish them to every replica
     * @param writes where a closing socket's store writes run (it closes on an IO thread, which must not block)
     */
    public Presence(PresenceStore store, ChatEvents events, Executor writes) {
        this.store = store;
        this.events = events;
        this.writes = writes;
    }

    /** The user subscribed to the channel here; on a thread that may wait for the store (its subscribe's). */
    public void subscribed(String channel, String username) {
        Key key = new Key(channel, username);
        Local local = locals.compute(key, (k, known) -> {
            Local counted = known == null ? new Local() : known;
            counted.subscriptions++;
            return counted;
        });
        sync(key, local, false);
    }

    /** One of the user's subscriptions to the channel here ended; from any thread, without waiting. */
    public void unsubscribed(String channel, String username) {
        Key key = new Key(channel, username);
        Local local = locals.computeIfPresent(key, (k, known) -> {
            known.subscriptions--;
            return known;
        });
        if (local == null) {
            return;
        }
        try {
            writes.execute(() -> sync(key, local, false));
        } catch (RejectedExecutionException e) { // sockets closing after shutdown: close() has lingered the entry
            log.debug("presence of {} in \"{}\" not written: shutting down", username, channel);
        }
    }

    /**
     * Brings the store in line with the count: live while there are subscriptions (and, when {@code refreshing},
     * its expiry pushed back), lingering once there are none. A store that fails leaves it for the next refresh.
     */
    private void sync(Key key, Local local, boolean refreshing) {
        synchronized (local) {
            try {
                if (local.subscriptions > 0 && (!local.entered || refreshing)) {
                    PresenceStore.Change join = store.enter(key.channel(), key.username());
                    local.entered = true;
                    if (join != null) {
                        events.presence(join.channel(), join.username(), true);
                    }
                } else if (local.subscriptions <= 0 && local.entered) {
                    store.linger(key.channel(), key.username());
                    local.entered = false;
                }
            } catch (ChatException e) {
                log.debug("presence of {} in \"{}\" not written ({}); the next refresh tries again",
                        key.username(), key.channel(), e.reason());
            } catch (RuntimeException e) { // never the subscribe's failure: it is kept, and its answer is on its way
                log.warn("presence of {} in \"{}\" not written; the next refresh tries again", key.username(),
                        key.channel(), e);
            }
            if (!local.entered) {
                locals.computeIfPresent(key, (k, known) -> known == local && known.subscriptions <= 0 ? null : known);
            }
        }
    }

    /**
     * Run every third of the expiry: pushes back the expiry of this replica's live entries, so that they outlive it
     * only if this replica dies, and writes what a failing store missed. An entry the store lost (swept while this
     * replica could not refresh it) is entered again, and its user joins again.
     */
    public void refresh() {
        locals.forEach((key, local) -> sync(key, local, true));
    }

    /** Run often (a quarter of the grace period): removes expired entries, and announces who left. */
    public void sweep() {
        try {
            for (PresenceStore.Change left : store.sweep()) {
                events.presence(left.channel(), left.username(), false);
            }
        } catch (ChatException e) {
            log.debug("presence sweep skipped: {}", e.reason());
        }
    }

    /**
     * On shutdown, while the store still answers: every entry of this replica lingers, so that its users, who
     * reconnect to another replica, neither leave nor join, and those who do not leave after the grace period
     * rather than the expiry.
     */
    public void close() {
        locals.forEach((key, local) -> {
            synchronized (local) {
                if (local.entered) {
                    local.subscriptions = 0;
                    sync(key, local, false);
                }
            }
        });
    }
}
