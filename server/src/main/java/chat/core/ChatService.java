package chat.core;

import chat.client.Client;
import chat.config.Config;
import chat.config.Settings;
import chat.error.ChatError;
import chat.error.ChatException;
import chat.limit.LogonLimits;
import chat.limit.MemoryBuckets;
import chat.limit.RateLimits;
import chat.store.ChatStore;
import chat.store.Message;
import chat.store.Posted;
import chat.store.RateCharge;

import java.util.List;

/**
 * The seven calls of the protocol, free of HTTP and JSON: validation, authentication and the rules of the
 * chat. Every failure is a {@link ChatException}. Thread-safe; atomicity comes from the store.
 *
 * <p>Each call names its {@link Client}: logon is limited per client address and username ({@link LogonLimits}),
 * every other call per session, in the store's session check, unless the client is exempt.
 */
public final class ChatService {
    private final ChatStore store;
    private final Passwords passwords;
    private final SessionKeys sessionKeys;
    private final MessageEncoder encoder;
    // The configurable limits the core enforces (the fixed ones, such as name lengths, are in the protocol).
    private final int maxMessageLength;
    private final long maxUsers;
    private final long maxSessions;
    private final long maxChannels;
    private final ChatEvents events;
    private final LogonLimits logonLimits;

    /** Without events and without logon limits (a store's session limits are its own): for tests of the rules. */
    public ChatService(ChatStore store, Passwords passwords, SessionKeys sessionKeys, MessageEncoder encoder,
                       Config config) {
        this(store, passwords, sessionKeys, encoder, config, ChatEvents.NONE,
                new LogonLimits(RateLimits.NONE, new MemoryBuckets(100)));
    }

    public ChatService(ChatStore store, Passwords passwords, SessionKeys sessionKeys, MessageEncoder encoder,
                       Config config, ChatEvents events, LogonLimits logonLimits) {
        this.store = store;
        this.passwords = passwords;
        this.sessionKeys = sessionKeys;
        this.encoder = encoder;
        this.maxMessageLength = config.get(Settings.MAX_MESSAGE);
        this.maxUsers = config.get(Settings.MAX_USERS);
        this.maxSessions = config.get(Settings.MAX_SESSIONS);
        this.maxChannels = config.get(Settings.MAX_CHANNELS);
        this.events = events;
        this.logonLimits = logonLimits;
    }

    /**
     * Opens a session. The first logon of a username registers it with the password given; later ones must
     * give the same password. Slow on purpose (bcrypt): call it off the IO threads. Rate limited before the
     * password is checked (RATE_LIMITED), and only a wrong password counts as a failed logon.
     */
    public long logon(Client client, String username, String password) {
        TextRules.requireName("username", username, TextRules.USERNAME_MAX);
        TextRules.requireText("password", password, TextRules.PASSWORD_MAX);
        LogonLimits.Attempt attempt = logonLimits.begin(username, client);
        try {
            return checkedLogon(attempt, username, password);
        } finally {
            attempt.notAGuess(); // unless it was one: then failed() has settled it
        }
    }

    private long checkedLogon(LogonLimits.Attempt attempt, String username, String password) {
        String hash = store.passwordHash(username);
        if (hash == null) {
            attempt.registering();
            hash = register(username, password);
        }
        if (!passwords.matches(password, hash)) {
            attempt.failed();
            throw ChatError.WRONG_PASSWORD.exception();
        }
        if (store.sessionCount() >= maxSessions) {
            throw ChatError.LIMIT_REACHED.exception("the server has " + maxSessions
                    + " live sessions, its limit; try again later");
        }
        long key;
        do {
            key = sessionKeys.next();
        } while (!store.openSession(key, username));
        return key;
    }

    /** Registers the name, or, when a concurrent logon registered it first, returns the winner's hash. */
    private String register(String username, String password) {
        if (store.userCount() >= maxUsers) {
            throw ChatError.LIMIT_REACHED.exception("the server has " + maxUsers
                    + " registered users, its limit; log on as an existing user");
        }
        String hash = passwords.hash(password);
        return store.addUser(username, hash) ? hash : store.passwordHash(username);
    }

    public void logoff(long sesskey) {
        if (!SessionKeys.isWellFormed(sesskey) || !store.closeSession(sesskey)) {
            throw ChatError.INVALID_SESSION.exception();
        }
        events.sessionEnded(sesskey);
    }

    // Each call below is one store operation, the session check included (see ChatStore): with Redis, one round
    // trip. Field values are checked first, so a field error is reported even when the key is also invalid.

    /** Channel names in creation order. */
    public List<String> channels(Client client, long sesskey) {
        return store.channelNames(wellFormed(sesskey), charge(client));
    }

    public void create(Client client, long sesskey, String channel) {
        TextRules.requireName("channel", channel, TextRules.CHANNEL_MAX);
        if (!store.createChannel(wellFormed(sesskey), charge(client), channel, maxChannels)) {
            throw ChatError.CHANNEL_EXISTS.exception("a channel named \"" + channel + "\" exists already");
        }
    }

    /** Posts a message and returns its id. */
    public long post(Client client, long sesskey, String channel, String message) {
        return post(client, sesskey, channel, message, null);
    }

    /**
     * Posts a message and returns its id; with an idempotency key (null for none), a repeat of this user's post with
     * the key returns the first one's id without posting or announcing anything again (spec post/5-6).
     */
    public long post(Client client, long sesskey, String channel, String message, String idempotencyKey) {
        TextRules.requireText("message", message, maxMessageLength);
        if (idempotencyKey != null) {
            return postOnce(client, sesskey, channel, message, idempotencyKey);
        }
        Message posted = store.post(wellFormed(sesskey), charge(client), channel,
                username -> encoder.encode(username, message));
        events.posted(channel, posted);
        return posted.id();
    }

    private long postOnce(Client client, long sesskey, String channel, String message, String idempotencyKey) {
        TextRules.requireIdempotencyKey(idempotencyKey);
        Posted posted = store.postOnce(wellFormed(sesskey), charge(client), channel, idempotencyKey,
                username -> encoder.encode(username, message));
        if (!posted.isRepeat()) {
            events.posted(channel, posted.stored());
        }
        return posted.id();
    }

    /** The newest message's id, 0 when the channel has none. */
    public long lastMessageId(Client client, long sesskey, String channel) {
        return store.lastMessageId(wellFormed(sesskey), charge(client), channel);
    }

    /** The kept messages with ids in [first, last], ascending; empty when first > last. */
    public List<Message> retrieve(Client client, long sesskey, String channel, long first, long last) {
        return store.range(wellFormed(sesskey), charge(client), channel, first, last);
    }

    /**
     * The user of a live session, renewing it; INVALID_SESSION otherwise. For what a WebSocket does outside the
     * seven calls: subscribe and unsubscribe, which count as calls of the session.
     */
    public String requireSession(Client client, long sesskey) {
        return store.requireSession(wellFormed(sesskey), charge(client));
    }

    /** Renews the session if it is live; false when the key is not a live session's. For a WebSocket's handshake. */
    public boolean renewSession(long sesskey) {
        return SessionKeys.isWellFormed(sesskey) && store.touchSession(sesskey) != null;
    }

    private static RateCharge charge(Client client) {
        return client.exempt() ? RateCharge.EXEMPT : RateCharge.CHARGED;
    }

    /** A key no session can have fails without asking the store. */
    private static long wellFormed(long sesskey) {
        if (!SessionKeys.isWellFormed(sesskey)) {
            throw ChatError.INVALID_SESSION.exception();
        }
        return sesskey;
    }
}
