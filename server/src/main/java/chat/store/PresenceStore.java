package chat.store;

import java.util.Comparator;
import java.util.List;

/**
 * Who is present in each channel (spec 9.1): the users with a live WebSocket subscribed to it, on every replica. The
 * store keeps one entry per channel, replica and user; a user is present while any of their entries is, so one
 * replica's socket closing never removes a user still present through another. An entry is live while its
 * replica holds a subscription (and, in a store shared by replicas, refreshes it before it expires); when the
 * last one ends it lingers for the grace period, so that a reconnect within it, here or on another replica, is
 * neither a leave nor a join. {@link #sweep} removes what expired and says who left.
 *
 * <p>Joins and leaves are announced only while the channel has at most the store's bound of present users,
 * counting the one joining or leaving: above it, a join is one more name in {@link #who}, not an event to
 * thousands of sockets.
 */
public interface PresenceStore {
    /** The most names one {@link #who} answers. */
    int PAGE = 100;

    /** Names in the order who pages them: by code point, which is also the order of their UTF-8 bytes (Redis's). */
    Comparator<String> ORDER = PresenceStore::compareCodePoints;

    /** A user joined ({@code joined}) or left a channel: an event to announce. */
    record Change(String channel, String username, boolean joined) {
    }

    /** How many users are present, and the first {@link #PAGE} of their names after the one asked for. */
    record Page(long count, List<String> users) {
    }

    /**
     * This replica holds a subscription of the user to the channel: makes (or refreshes) its entry live. Returns the
     * join to announce when the user was not present before (nor lingering), else null.
     */
    Change enter(String channel, String username);

    /** This replica's last subscription of the user to the channel ended: its entry lingers for the grace period. */
    void linger(String channel, String username);

    /** Removes the entries that have expired; returns the leaves to announce (each to one replica only). */
    List<Change> sweep();

    /** The channel's present users: their count and the first names after {@code after} (all: ""). CHANNEL_NOT_FOUND. */
    Page who(String channel, String after);

    private static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int x = a.codePointAt(i);
            int y = b.codePointAt(j);
            if (x != y) {
                return Integer.compare(x, y);
            }
            i += Character.charCount(x);
            j += Character.charCount(y);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }
}
