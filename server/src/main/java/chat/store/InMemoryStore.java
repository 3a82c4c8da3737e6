package chat.store;

import chat.limit.RateLimit;
import chat.limit.RateLimits;
import chat.limit.TokenBucket;

import chat.error.ChatError;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Everything in this process's memory: fast, and gone when the process ends. Safe for concurrent use.
 *
 * <p>Expired sessions are dropped when they are next looked up and by {@link #sweepExpiredSessions()},
 * which the server runs periodically so that abandoned sessions do not accumulate.
 *
 * <p>Channels, kept messages and posts' idempotency keys ({@link PostedKeys}) are charged to a {@link MessageMemory}: a create or post that would take it past
 * its budget is refused with LIMIT_REACHED, and every other call goes on as before.
 *
 * <p>A session's rate limits (calls, posts) are two token buckets kept with the session, made on its first charged
 * call: they go when it goes, so they are bounded by the sessions.
 */
public final class InMemoryStore implements ChatStore {
    /**
     * Sliding expiry is renewed at most once a second per session (or a quarter of the idle timeout, when that is
     * shorter): renewing on every call would have every request of a busy session write one shared field, for no
     * visible difference.
     */
    private static final long RENEW_RESOLUTION_MILLIS = 1_000;

    private final Clock clock;
    private final long idleMillis;
    private final long renewResolutionMillis;
    private final int windowSize;
    private final MessageMemory memory;
    private final RateLimit callLimit;
    private final RateLimit postLimit;
    private final PostedKeys postedKeys;

    private final ConcurrentHashMap<String, String> passwordHashes = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, Session> sessions = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, MessageWindow> channels = new ConcurrentHashMap<>();
    /** Creation order; replaced whole under the lock, so readers always get a consistent snapshot. */
    private volatile List<String> channelNames = List.of();
    private final UncheckedReads unchecked = new UncheckedReads() {
        @Override
        public long lastMessageId(String channel) {
            return window(channel).lastId();
        }

        @Override
        public List<Message> range(String channel, long first, long last) {
            return window(channel).range(first, last);
        }

        @Override
        public String epoch(String channel) {
            return window(channel).epoch();
        }

        @Override
        public String replaceEpoch(String channel, String lost) {
            return window(channel).replaceEpoch(lost);
        }

        @Override
        public boolean renewSession(long sesskey) {
            return liveSession(sesskey) != null;
        }
    };

    /** A store whose messages are bounded only by the window and channel limits (for tests and measurements). */
    public InMemoryStore(Clock clock, Duration sessionIdleTimeout, int windowSize) {
        this(clock, sessionIdleTimeout, windowSize, new MessageMemory(Long.MAX_VALUE), RateLimits.NONE,
                IdempotencyLimits.DEFAULT);
    }

    /**
     * @param limits only the session's two are used here: calls and posts
     * @param keys   how long, and how many per user, posts' idempotency keys are kept (charged to the memory too)
     */
    public InMemoryStore(Clock clock, Duration sessionIdleTimeout, int windowSize, MessageMemory memory,
                         RateLimits limits, IdempotencyLimits keys) {
        this.clock = clock;
        this.idleMillis = sessionIdleTimeout.toMillis();
        this.renewResolutionMillis = Math.min(RENEW_RESOLUTION_MILLIS, idleMillis / 4);
        this.windowSize = windowSize;
        this.memory = memory;
        this.callLimit = limits.calls();
        this.postLimit = limits.posts();
        this.postedKeys = new PostedKeys(clock, keys, memory);
    }

    /** Channels now (for the metrics, like the count below: read when scraped). */
    public long channelCount() {
        return channels.size();
    }

    /** Messages kept in every channel's window: a walk of the channels (--max-channels, 10000 by default). */
    public long keptMessageCount() {
        long kept = 0;
        for (MessageWindow window : channels.values()) {
            kept += window.keptCount();
        }
        return kept;
    }

    /** What the kept messages and channels take, against the budget. */
    public MessageMemory memory() {
        return memory;
    }

    private static final class Session {
        final String username;
        volatile long lastSeenMillis;
        /** Made on the session's first charged call; racing makers may each make one, and one of them stays. */
        private volatile TokenBucket calls;
        private volatile TokenBucket posts;

        Session(String username, long now) {
            this.username = username;
            this.lastSeenMillis = now;
        }

        TokenBucket calls(RateLimit limit) {
            TokenBucket bucket = calls;
            if (bucket == null) {
                calls = bucket = new TokenBucket(limit);
            }
            return bucket;
        }

        TokenBucket posts(RateLimit limit) {
            TokenBucket bucket = posts;
            if (bucket == null) {
                posts = bucket = new TokenBucket(limit);
            }
            return bucket;
        }
    }

    @Override
    public String passwordHash(String username) {
        return passwordHashes.get(username);
    }

    @Override
    public boolean addUser(String username, String passwordHash) {
        return passwordHashes.putIfAbsent(username, passwordHash) == null;
    }

    @Override
    public long userCount() {
        return passwordHashes.mappingCount();
    }

    @Override
    public boolean openSession(long key, String username) {
        return sessions.putIfAbsent(key, new Session(username, clock.millis())) == null;
    }

    @Override
    public String touchSession(long key) {
        Session session = liveSession(key);
        return session == null ? null : session.username;
    }

    /** The live session of this key, renewed; null when there is none (an expired one is removed). */
    private Session liveSession(long key) {
        Session session = sessions.get(key);
        if (session == null) {
            return null;
        }
        long now = clock.millis();
        if (isExpired(session, now)) {
            sessions.remove(key, session);
            return null;
        }
        if (now - session.lastSeenMillis >= renewResolutionMillis) {
            session.lastSeenMillis = now;
        }
        return session;
    }

    @Override
    public String requireSession(long sesskey, RateCharge charge) {
        return chargedSession(sesskey, charge, false).username;
    }

    /**
     * The live session, its call (and for a post, its post) token taken: INVALID_SESSION without a session,
     * RATE_LIMITED without a token. A post needs both, so a post refused for its post token gives back its call one.
     */
    private Session chargedSession(long sesskey, RateCharge charge, boolean posting) {
        Session session = liveSession(sesskey);
        if (session == null) {
            throw ChatError.INVALID_SESSION.exception();
        }
        if (charge == RateCharge.EXEMPT) {
            return session;
        }
        TokenBucket calls = callLimit.isOff() ? null : session.calls(callLimit);
        Duration wait = calls == null ? null : calls.tryTake();
        if (wait != null) {
            throw callLimit.refuse("", wait);
        }
        if (posting && !postLimit.isOff()) {
            Duration postWait = session.posts(postLimit).tryTake();
            if (postWait != null) {
                if (calls != null) {
                    calls.giveBack();
                }
                throw postLimit.refuse("", postWait);
            }
        }
        return session;
    }

    @Override
    public boolean closeSession(long key) {
        Session session = sessions.remove(key);
        return session != null && !isExpired(session, clock.millis());
    }

    @Override
    public long sessionCount() {
        return sessions.mappingCount();
    }

    @Override
    public int sweepExpiredSessions() {
        long now = clock.millis();
        int before = sessions.size();
        sessions.values().removeIf(session -> isExpired(session, now));
        return Math.max(0, before - sessions.size());
    }

    private boolean isExpired(Session session, long now) {
        return now - session.lastSeenMillis >= idleMillis;
    }

    // --- the calls, each session-checked ---------------------------------------------------------------------

    @Override
    public List<String> channelNames(long sesskey, RateCharge charge) {
        requireSession(sesskey, charge);
        return channelNames;
    }

    @Override
    public boolean createChannel(long sesskey, RateCharge charge, String name, long maxChannels) {
        requireSession(sesskey, charge);
        return addChannel(name, maxChannels);
    }

    @Override
    public Message post(long sesskey, RateCharge charge, String channel, Function<String, byte[]> encodeFor) {
        byte[] encoded = encodeFor.apply(chargedSession(sesskey, charge, true).username);
        return window(channel).append(encoded, clock.millis());
    }

    @Override
    public Posted postOnce(long sesskey, RateCharge charge, String channel, String idempotencyKey,
                           Function<String, byte[]> encodeFor) {
        String username = chargedSession(sesskey, charge, true).username;
        byte[] encoded = encodeFor.apply(username);
        return postedKeys.post(username, idempotencyKey, channel, encoded,
                () -> window(channel).append(encoded, clock.millis()));
    }

    @Override
    public int forgetExpiredKeys() {
        return postedKeys.forgetExpired();
    }

    /** Idempotency keys kept now; for tests. */
    int postedKeyCount() {
        return postedKeys.size();
    }

    @Override
    public long lastMessageId(long sesskey, RateCharge charge, String channel) {
        requireSession(sesskey, charge);
        return window(channel).lastId();
    }

    @Override
    public List<Message> range(long sesskey, RateCharge charge, String channel, long first, long last) {
        requireSession(sesskey, charge);
        return window(channel).range(first, last);
    }

    @Override
    public UncheckedReads unchecked() {
        return unchecked;
    }

    // --- the parts the calls are made of (package-private: InMemoryStoreTest checks them one by one) ---------

    boolean addChannel(String name) {
        return addChannel(name, Long.MAX_VALUE);
    }

    /** Counted under the lock that adds, so that concurrent creates cannot pass the limit between them. */
    private boolean addChannel(String name, long maxChannels) {
        synchronized (channels) {
            if (channels.containsKey(name)) {
                return false;
            }
            if (channels.size() >= maxChannels) {
                throw StoreRefusals.channelLimit(maxChannels);
            }
            memory.charge(KeptBytes.channel(name, windowSize)); // channels are never removed: nor is this released
            channels.put(name, new MessageWindow(windowSize, memory));
            List<String> names = new ArrayList<>(channelNames.size() + 1);
            names.addAll(channelNames);
            names.add(name);
            channelNames = Collections.unmodifiableList(names);
            return true;
        }
    }

    List<String> channelNames() {
        return channelNames;
    }

    long append(String channel, byte[] encodedMessage) {
        return window(channel).append(encodedMessage, clock.millis()).id();
    }

    private MessageWindow window(String channel) {
        MessageWindow window = channels.get(channel);
        if (window == null) {
            throw StoreRefusals.channelNotFound(channel);
        }
        return window;
    }

    @Override
    public void checkAvailable() {
        // Always: it is this process's memory.
    }

    @Override
    public boolean blocks() {
        return false;
    }

    @Override
    public void close() {
        // Nothing to release: the memory goes with the process.
    }
}
