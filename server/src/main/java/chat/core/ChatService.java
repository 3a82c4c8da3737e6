package chat.core;

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
    private final ChatLimits limits;
    private final ChatEvents events;

    public ChatService(ChatStore store, Passwords passwords, SessionKeys sessionKeys, MessageEncoder encoder,
                       ChatLimits limits) {
        this(store, passwords, sessionKeys, encoder, limits, ChatEvents.NONE);
    }

    public ChatService(ChatStore store, Passwords passwords, SessionKeys sessionKeys, MessageEncoder encoder,
                       ChatLimits limits, ChatEvents events) {
        this.store = store;
        this.passwords = passwords;
        this.sessionKeys = sessionKeys;
        this.encoder = encoder;
        this.limits = limits;
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
        if (store.sessionCount() >= limits.maxSessions()) {
            throw ChatError.LIMIT_REACHED.exception("the server has " + limits.maxSessions()
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
        if (store.userCount() >= limits.maxUsers()) {
            throw ChatError.LIMIT_REACHED.exception("the server has " + limits.maxUsers()
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

    /** Channel names in creation order. */
    public List<String> channels(long sesskey) {
        userOf(sesskey);
        return store.channelNames();
    }

    public void create(long sesskey, String channel) {
        userOf(sesskey);
        TextRules.requireName("channel", channel, TextRules.CHANNEL_MAX);
        if (store.channelCount() >= limits.maxChannels()) {
            throw ChatError.LIMIT_REACHED.exception("the server has " + limits.maxChannels()
                    + " channels, its limit; post to an existing one");
        }
        if (!store.addChannel(channel)) {
            throw ChatError.CHANNEL_EXISTS.exception("a channel named \"" + channel + "\" exists already");
        }
    }

    /** Posts a message and returns its id. */
    public long post(long sesskey, String channel, String message) {
        String username = userOf(sesskey);
        TextRules.requireText("message", message, limits.maxMessageLength());
        byte[] encoded = encoder.encode(username, message);
        long id = store.append(channel, encoded);
        events.posted(channel, new Message(id, encoded));
        return id;
    }

    /** The newest message's id, 0 when the channel has none. */
    public long lastMessageId(long sesskey, String channel) {
        userOf(sesskey);
        return store.lastMessageId(channel);
    }

    /** The kept messages with ids in [first, last], ascending; empty when first > last. */
    public List<Message> retrieve(long sesskey, String channel, long first, long last) {
        userOf(sesskey);
        return store.range(channel, first, last);
    }

    private String userOf(long sesskey) {
        String username = SessionKeys.isWellFormed(sesskey) ? store.touchSession(sesskey) : null;
        if (username == null) {
            throw ChatError.INVALID_SESSION.exception();
        }
        return username;
    }
}
