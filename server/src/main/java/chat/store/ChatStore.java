package chat.store;

import chat.error.ChatError;

import java.util.List;
import java.util.function.Function;

/**
 * Where users, sessions, channels and messages live. The in-memory implementation is the default; the
 * interface is shaped so that a networked one (Redis) fits too: every operation that must be atomic is a
 * single method here ("append and return the id", "add if absent"), never a read followed by a write in
 * the caller.
 *
 * <p>Failures the caller must tell the client about are thrown as chat.error.ChatException, including
 * STORE_UNAVAILABLE from a networked store that does not answer in time.
 *
 * <p>The calls of the protocol use the session-scoped methods at the end ({@link #post} and its siblings): each
 * is the whole of one call's work on the store, its session check included. Here they are composed of the basic
 * operations, which is all a store in memory needs; a networked store overrides them to do each in one round
 * trip.
 */
public interface ChatStore extends AutoCloseable {

    // --- users -------------------------------------------------------------------------------------------

    /** The stored password hash of this user, or null when no user has this name. */
    String passwordHash(String username);

    /** Registers a user unless the name is taken; returns whether this call registered it. Atomic. */
    boolean addUser(String username, String passwordHash);

    long userCount();

    // --- sessions ----------------------------------------------------------------------------------------

    /** Opens a session under this key unless the key is in use; returns whether it did. Atomic. */
    boolean openSession(long key, String username);

    /**
     * The user of a live session, renewing its idle timeout; null when the key is unknown or expired
     * (an expired session is removed).
     */
    String touchSession(long key);

    /** Whether the key is a live session's, without renewing it (for sockets that only listen). */
    boolean isSessionLive(long key);

    /** Ends a live session; returns false when the key was unknown or already expired. */
    boolean closeSession(long key);

    long sessionCount();

    /** Forgets sessions that have expired, so that they stop counting; run periodically. Returns how many. */
    int sweepExpiredSessions();

    // --- channels and messages ---------------------------------------------------------------------------

    /** Creates a channel unless the name is taken; returns whether this call created it. Atomic. */
    boolean addChannel(String name);

    /** Every channel name in creation order: an immutable snapshot. */
    List<String> channelNames();

    long channelCount();

    /**
     * Appends a message to a channel and returns its id: one more than the channel's previous newest,
     * so ids are 1, 2, 3, ... without gaps even under concurrent appends. Only the newest messages up to
     * the window size are kept. Throws CHANNEL_NOT_FOUND.
     */
    long append(String channel, byte[] encodedMessage);

    /** The id of the channel's newest message, 0 when it has none. Throws CHANNEL_NOT_FOUND. */
    long lastMessageId(String channel);

    /**
     * The kept messages whose ids lie in [first, last], ascending. Ids not kept (dropped by the window,
     * or not yet posted) are simply absent. Throws CHANNEL_NOT_FOUND.
     */
    List<Message> range(String channel, long first, long last);

    /** Whether the store answers now; for a readiness check. Throws STORE_UNAVAILABLE when it does not. */
    void checkAvailable();

    /**
     * Whether calls may block on the network. The server answers calls on its IO threads only when they cannot
     * (the in-memory store); otherwise every call runs on a pool of its own, so a slow store holds up no reads.
     */
    boolean blocks();

    @Override
    void close();

    // --- one call's store work, for a live session (renewed); INVALID_SESSION when it is not live -------------

    /** The user of a live session, renewing it; throws INVALID_SESSION when the key is not live. */
    default String requireSession(long sesskey) {
        String username = touchSession(sesskey);
        if (username == null) {
            throw ChatError.INVALID_SESSION.exception();
        }
        return username;
    }

    /** list: every channel name, in creation order. */
    default List<String> channelNames(long sesskey) {
        requireSession(sesskey);
        return channelNames();
    }

    /** create: false when the name is taken; LIMIT_REACHED when there are {@code maxChannels} already. */
    default boolean createChannel(long sesskey, String name, long maxChannels) {
        requireSession(sesskey);
        if (channelCount() >= maxChannels) {
            throw limitOfChannels(maxChannels);
        }
        return addChannel(name);
    }

    /** post: the message as {@code encodeFor} encodes it for the session's user, with its new id. */
    default Message post(long sesskey, String channel, Function<String, byte[]> encodeFor) {
        byte[] encoded = encodeFor.apply(requireSession(sesskey));
        return new Message(append(channel, encoded), encoded);
    }

    /** lastmessage. */
    default long lastMessageId(long sesskey, String channel) {
        requireSession(sesskey);
        return lastMessageId(channel);
    }

    /** retrieve. */
    default List<Message> range(long sesskey, String channel, long first, long last) {
        requireSession(sesskey);
        return range(channel, first, last);
    }

    static chat.error.ChatException limitOfChannels(long maxChannels) {
        return ChatError.LIMIT_REACHED.exception("the server has " + maxChannels
                + " channels, its limit; post to an existing one");
    }
}
