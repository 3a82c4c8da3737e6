package chat.store;

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
 * <p>It has two faces. The calls of the protocol use this one: logon's user and session operations, and one
 * method per channel call ({@link #post} and its siblings), each session-checked. Push, which checked the session
 * when a socket subscribed, reads through {@link #unchecked()}, whose name says what it skips.
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

    /** Ends a live session; returns false when the key was unknown or already expired. */
    boolean closeSession(long key);

    long sessionCount();

    /** Forgets sessions that have expired, so that they stop counting; run periodically. Returns how many. */
    int sweepExpiredSessions();

    /**
     * Forgets idempotency keys older than their window, so that they stop taking memory; run periodically. Returns how
     * many. A store whose keys expire by themselves (Redis) has nothing to do.
     */
    int forgetExpiredKeys();

    /** Whether the store answers now; for a readiness check. Throws STORE_UNAVAILABLE when it does not. */
    void checkAvailable();

    /**
     * Whether calls may block on the network. The server decides from this, once, where calls run: on its IO
     * threads only when they cannot (the in-memory store); otherwise on a pool of their own, so a slow store holds
     * up no reads.
     */
    boolean blocks();

    @Override
    void close();

    // --- one call's store work, for a live session (renewed); INVALID_SESSION when it is not live -------------
    // Each is the whole of one call's work on the store, its session check included: with Redis, one round trip.
    // The session check also charges the session's rate limits (RateCharge.CHARGED): RATE_LIMITED without a
    // token, and then the call does nothing else.

    /**
     * The user of a live session, renewing it and charging one call; throws INVALID_SESSION when the key is not
     * live.
     */
    String requireSession(long sesskey, RateCharge charge);

    /** list: every channel name, in creation order. */
    List<String> channelNames(long sesskey, RateCharge charge);

    /**
     * create: false when the name is taken (atomic: of concurrent creates of one name, one wins); LIMIT_REACHED when
     * there are {@code maxChannels} already (exact: counted in the same atomic step that adds).
     */
    boolean createChannel(long sesskey, RateCharge charge, String name, long maxChannels);

    /**
     * post: appends the message as {@code encodeFor} encodes it for the session's user and returns it with its id:
     * one more than the channel's previous newest, so ids are 1, 2, 3, ... without gaps even under concurrent posts.
     * Only the newest messages up to the window size are kept. Throws CHANNEL_NOT_FOUND. Charged a post as well
     * as a call.
     */
    Message post(long sesskey, RateCharge charge, String channel, Function<String, byte[]> encodeFor);

    /**
     * post with an idempotency key (1 to 64 visible ASCII characters, checked by the caller): the first post of this
     * user with this key within the window posts as {@link #post} does and keeps the key with the id, atomically with
     * the append, so that of racing repeats exactly one posts; a repeat answers that id without posting
     * ({@link Posted#isRepeat()}), or IDEMPOTENCY_KEY_REUSED when its channel or message differ. Keys are the user's,
     * not the session's. A post that fails keeps no key. Charged like a post, repeats included.
     */
    Posted postOnce(long sesskey, RateCharge charge, String channel, String idempotencyKey,
                    Function<String, byte[]> encodeFor);

    /** lastmessage: the id of the channel's newest message, 0 when it has none. Throws CHANNEL_NOT_FOUND. */
    long lastMessageId(long sesskey, RateCharge charge, String channel);

    /**
     * retrieve: the kept messages whose ids lie in [first, last], ascending. Ids not kept (dropped by the window,
     * or not yet posted) are simply absent. Throws CHANNEL_NOT_FOUND.
     */
    List<Message> range(long sesskey, RateCharge charge, String channel, long first, long last);

    // --- push's face --------------------------------------------------------------------------------------

    /** Reads without a session check, for push only: see {@link UncheckedReads}. */
    UncheckedReads unchecked();
}
