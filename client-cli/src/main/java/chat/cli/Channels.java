package chat.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The channels a join session follows, in the order joined: which one is current (where typed lines go) and how
 * many messages came in each of the others since it was last current. The backlog shown on joining a channel is
 * not unread, nor are the user's own messages. Thread-safe: the feed's threads count while the user switches.
 */
final class Channels {
    private final Map<String, Long> newestWhenJoined = new LinkedHashMap<>();
    private final Map<String, Integer> unread = new LinkedHashMap<>();
    private String current;

    /** Follows {@code channel}, whose newest id was {@code newest} when joined; the first one followed is current. */
    synchronized void add(String channel, long newest) {
        newestWhenJoined.put(channel, newest);
        unread.put(channel, 0);
        if (current == null) {
            current = channel;
        }
    }

    synchronized boolean isFollowed(String channel) {
        return unread.containsKey(channel);
    }

    /** Follows {@code channel} no more; if it was current, the first one left is. */
    synchronized void remove(String channel) {
        newestWhenJoined.remove(channel);
        unread.remove(channel);
        if (channel.equals(current)) {
            current = unread.isEmpty() ? null : unread.keySet().iterator().next();
        }
    }

    /** Makes a followed channel current, which clears its count. */
    synchronized void switchTo(String channel) {
        if (!isFollowed(channel)) {
            throw new IllegalArgumentException("not followed: " + channel);
        }
        current = channel;
        unread.put(channel, 0);
    }

    /** The current channel, or null when none is followed. */
    synchronized String current() {
        return current;
    }

    /** The channels followed, in the order joined ({@code /1} is the first). */
    synchronized List<String> followed() {
        return List.copyOf(unread.keySet());
    }

    /** Each followed channel's unread count, in the order joined. */
    synchronized Map<String, Integer> unread() {
        return new LinkedHashMap<>(unread);
    }

    /** Counts a message shown in {@code channel} as unread, unless it is current, backlog, or not {@code others}'. */
    synchronized void arrived(String channel, Message message, boolean fromOthers) {
        Long newest = newestWhenJoined.get(channel);
        if (newest != null && fromOthers && !channel.equals(current) && message.id() > newest) {
            unread.merge(channel, 1, Integer::sum);
        }
    }
}
