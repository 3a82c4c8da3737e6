package chat.store;

import java.util.List;

/**
 * The store's face for push: reads that skip the session check and renew nothing. A subscription checked its
 * socket's session when it subscribed; reading for it later must neither need the session again nor keep an idle
 * listener's session alive (a session ends when its user stops calling, whether or not a socket listens). The
 * calls of the protocol never use these: {@link ChatStore}'s own methods are theirs, each session-checked.
 */
public interface UncheckedReads {
    /** The id of the channel's newest message, 0 when it has none. Throws CHANNEL_NOT_FOUND. */
    long lastMessageId(String channel);

    /** The kept messages whose ids lie in [first, last], ascending. Throws CHANNEL_NOT_FOUND. */
    List<Message> range(String channel, long first, long last);

    /** Whether the key is a live session's, without renewing it: for closing the sockets of ended sessions. */
    boolean isSessionLive(long sesskey);
}
