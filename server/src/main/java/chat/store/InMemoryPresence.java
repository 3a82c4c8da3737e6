package chat.store;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Presence in one process: per channel, its present users in name order, each live (a subscription here) or
 * lingering until a time. Memory: one entry per channel and user with a subscription open (so at most the open
 * sockets times --ws-max-subscriptions), plus the ones that ended within the grace period (each was a subscribe,
 * charged to its session's call rate; and never more than one per channel and user).
 */
public final class InMemoryPresence implements PresenceStore {
    private static final long LIVE = Long.MAX_VALUE;

    private record Key(String channel, String username) {
    }

    private final Clock clock;
    private final long graceMillis;
    private final int maxAnnounced;
    private final UncheckedReads channels;
    /** Guarded by each map's own lock. */
    private final Map<String, TreeMap<String, Long>> byChannel = new ConcurrentHashMap<>();
    /** The lingering entries and when they expire: all a sweep looks at. */
    private final Map<Key, Long> lingering = new ConcurrentHashMap<>();

    /**
     * @param maxAnnounced joins and leaves are announced while the channel has at most this many present users
     * @param channels     what says whether a channel exists (lastMessageId throws CHANNEL_NOT_FOUND)
     */
    public InMemoryPresence(Clock clock, Duration grace, int maxAnnounced, UncheckedReads channels) {
        this.clock = clock;
        this.graceMillis = grace.toMillis();
        this.maxAnnounced = maxAnnounced;
        this.channels = channels;
    }

    private TreeMap<String, Long> users(String channel) {
        return byChannel.computeIfAbsent(channel, name -> new TreeMap<>(ORDER));
    }

    @Override
    public Change enter(String channel, String username) {
        TreeMap<String, Long> users = users(channel);
        synchronized (users) {
            lingering.remove(new Key(channel, username));
            Long before = users.put(username, LIVE);
            return before == null && users.size() <= maxAnnounced ? new Change(channel, username, true) : null;
        }
    }

    @Override
    public void linger(String channel, String username) {
        TreeMap<String, Long> users = users(channel);
        synchronized (users) {
            if (users.containsKey(username)) {
                long until = clock.millis() + graceMillis;
                users.put(username, until);
                lingering.put(new Key(channel, username), until);
            }
        }
    }

    @Override
    public List<Change> sweep() {
        long now = clock.millis();
        List<Change> left = new ArrayList<>();
        for (Map.Entry<Key, Long> entry : lingering.entrySet()) {
            if (entry.getValue() > now) {
                continue;
            }
            Key key = entry.getKey();
            TreeMap<String, Long> users = users(key.channel());
            synchronized (users) {
                Long until = users.get(key.username());
                if (until != null && until != LIVE && until <= now) {
                    if (users.size() <= maxAnnounced) {
                        left.add(new Change(key.channel(), key.username(), false));
                    }
                    users.remove(key.username());
                }
                lingering.remove(key, entry.getValue());
            }
        }
        return left;
    }

    @Override
    public Page who(String channel, String after) {
        channels.lastMessageId(channel); // CHANNEL_NOT_FOUND
        TreeMap<String, Long> users = byChannel.get(channel);
        if (users == null) {
            return new Page(0, List.of());
        }
        synchronized (users) {
            List<String> page = new ArrayList<>(Math.min(PAGE, users.size()));
            for (String name : (after.isEmpty() ? users : users.tailMap(after, false)).keySet()) {
                if (page.size() == PAGE) {
                    break;
                }
                page.add(name);
            }
            return new Page(users.size(), page);
        }
    }
}
