package chat.core;

import chat.config.Config;
import chat.config.Settings;
import chat.error.ChatError;
import chat.error.ChatException;
import chat.store.ChatStore;
import chat.store.Message;

import java.util.List;

/**
 * The seven calls of the protocol, free of HTTP and JSON: validation, authentication and the rules of the
 * chat. Every failure is a {@link ChatException}. Thread-safe; atomicity comes from the store.
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

    public ChatService(ChatStore store, Passwords passwords, SessionKeys sessionKeys, MessageEncoder encoder,
                       Config config) {
        this(store, passwords, sessionKeys, encoder, config, ChatEvents.NONE);
    }

    public ChatService(ChatStore store, Passwords passwords, SessionKeys sessionKeys, MessageEncoder encoder,
                       Config config, ChatEvents events) {
        this.store = store;
        this.passwords = passwords;
        this.sessionKeys = sessionKeys;
        this.encoder = encoder;
        this.maxMessageLength = config.get(Settings.MAX_MESSAGE);
        this.maxUsers = config.get(Settings.MAX_USERS);
        this.maxSessions = config.get(Settings.MAX_SESSIONS);
        this.maxChannels = config.get(Settings.MAX_CHANNELS);
        this.events = events;
    }

    /**
     * Opens a session. The first logon of a username registers it with the password given; later ones must
     * give the same password. Slow on purpose (bcrypt): call it off the IO threads.
     */
    public long logon(String username, String password) {
        TextRules.requireName("username", username, TextRules.USERNAME_MAX);
        TextRules.requireText("password", password, TextRules.PASSWORD_MAX);
        String hash = store.passwordHash(username);
        if (hash == null) {
            hash = register(username, password);
        }
        if (!passwords.matches(password, hash)) {
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
    public List<String> channels(long sesskey) {
        return store.channelNames(wellFormed(sesskey));
    }

    public void create(long sesskey, String channel) {
        TextRules.requireName("channel", channel, TextRules.CHANNEL_MAX);
        if (!store.createChannel(wellFormed(sesskey), channel, maxChannels)) {
            throw ChatError.CHANNEL_EXISTS.exception("a channel named \"" + channel + "\" exists already");
        }
    }

    /** Posts a message and returns its id. */
    public long post(long sesskey, String channel, String message) {
        TextRules.requireText("message", message, maxMessageLength);
        Message posted = store.post(wellFormed(sesskey), channel, username -> encoder.encode(username, message));
        events.posted(channel, posted);
        return posted.id();
    }

    /** The newest message's id, 0 when the channel has none. */
    public long lastMessageId(long sesskey, String channel) {
        return store.lastMessageId(wellFormed(sesskey), channel);
    }

    /** The kept messages with ids in [first, last], ascending; empty when first > last. */
    public List<Message> retrieve(long sesskey, String channel, long first, long last) {
        return store.range(wellFormed(sesskey), channel, first, last);
    }

    /**
     * The user of a live session, renewing it; INVALID_SESSION otherwise. For what a WebSocket does outside the
     * seven calls: subscribe and unsubscribe.
     */
    public String requireSession(long sesskey) {
        return store.requireSession(wellFormed(sesskey));
    }

    /** Renews the session if it is live; false when the key is not a live session's. For a WebSocket's handshake. */
    public boolean renewSession(long sesskey) {
        return SessionKeys.isWellFormed(sesskey) && store.touchSession(sesskey) != null;
    }

    /** A key no session can have fails without asking the store. */
    private static long wellFormed(long sesskey) {
        if (!SessionKeys.isWellFormed(sesskey)) {
            throw ChatError.INVALID_SESSION.exception();
        }
        return sesskey;
    }
}
