package chat.store;

import java.util.List;

/**
 * The store's face for push: reads that skip the session check and renew nothing. A subscription checked its
 * socket's session when it subscribed; reading for it later need not check it again, and a read made for one
 * socket must not renew another's session. What keeps a socket's session alive is the socket being open: the
 * server renews it periodically with {@link #renewSession} (spec ws/14), so a user who only reads is not logged
 * out. The calls of the protocol never use these: {@link ChatStore}'s own methods are theirs, each session-checked.
 */
public interface UncheckedReads {
    /** The id of the channel's newest message, 0 when it has none. Throws CHANNEL_NOT_FOUND. */
    long lastMessageId(String channel);

    /** The kept messages whose ids lie in [first, last], ascending. Throws CHANNEL_NOT_FOUND. */
    List<Message> range(String channel, long first, long last);

    /**
     * The identity of the channel's history, its epoch ({@link Epochs}): made when the channel was created, and
     * made anew when a loss of its history was noticed. Throws CHANNEL_NOT_FOUND.
     */
    String epoch(String channel);

    /**
     * Gives the channel's history a new epoch, for a loss of it this replica noticed (its newest id went back below
     * one already delivered), unless its epoch is no longer {@code lost} (another replica noticed first); returns the
     * epoch it has now. Throws CHANNEL_NOT_FOUND.
     */
    String replaceEpoch(String channel, String lost);

    /**
     * Renews a live session that has a socket open, charging no rate limit; false when it has ended (logged off,
     * or expired while no socket was open), so that its sockets are closed.
     */
    boolean renewSession(long sesskey);
}
