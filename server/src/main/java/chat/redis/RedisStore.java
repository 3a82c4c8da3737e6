package chat.redis;

import chat.error.ChatError;
import chat.error.ChatException;
import chat.limit.RateLimit;
import chat.limit.RateLimits;
import chat.store.ChatStore;
import chat.store.Epochs;
import chat.store.IdempotencyLimits;
import chat.store.Message;
import chat.store.Posted;
import chat.store.RateCharge;
import chat.store.StoreRefusals;
import chat.store.UncheckedReads;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Everything in Redis, shared by every replica that points at it: the key layout and each atomic step are in
 * {@link RedisScripts}; connections, deadlines and failures in {@link RedisConnections}.
 */
public final class RedisStore implements ChatStore {
    static final byte[] EVENTS = bytes("chat:events");
    private static final byte[] USERS = bytes("chat:users");
    private static final byte[] SESSIONS = bytes("chat:sessions");
    private static final byte[] CHANNELS = bytes("chat:channels");
    private static final int MAX_REMEMBERED_USERNAMES = 100_000;
    private static final String STALE_USER = "STALE_USER";
    private static final String RATE_LIMITED = "RATE_LIMITED ";
    private static final String KEY_REUSED = "IDEMPOTENCY_KEY_REUSED";
    private static final byte[] NOT_CHARGED = bytes("0");

    private final RedisConnections redis;
    private final Clock clock;
    private final long idleMillis;
    private final byte[] windowSize;
    private final RateLimit callLimit;
    private final RateLimit postLimit;
    private final byte[] callBurst;
    private final byte[] callInterval;
    private final byte[] postBurst;
    private final byte[] postInterval;
    private final byte[] keyWindow;
    private final byte[] keysPerUser;
    /**
     * The user of each session this replica has seen: a key's user never changes while it lives, so a post can be
     * encoded before its script runs, and the script checks the session and stores in one round trip.
     */
    private final Map<Long, String> usernames = new ConcurrentHashMap<>();

    public RedisStore(RedisConnections redis, Clock clock, Duration sessionIdleTimeout, int windowSize) {
        this(redis, clock, sessionIdleTimeout, windowSize, RateLimits.NONE, IdempotencyLimits.DEFAULT);
    }

    /**
     * @param limits only the session's two are used here, inside each call's script: calls and posts
     * @param keys   how long, and how many per user, posts' idempotency keys are kept (each expires by itself)
     */
    public RedisStore(RedisConnections redis, Clock clock, Duration sessionIdleTimeout, int windowSize,
                      RateLimits limits, IdempotencyLimits keys) {
        this.redis = redis;
        this.clock = clock;
        this.idleMillis = sessionIdleTimeout.toMillis();
        this.windowSize = bytes(Integer.toString(windowSize));
        this.callLimit = limits.calls();
        this.postLimit = limits.posts();
        this.callBurst = number(callLimit.rate().burst());
        this.callInterval = number(callLimit.rate().interval().toMillis());
        this.postBurst = number(postLimit.rate().burst());
        this.postInterval = number(postLimit.rate().interval().toMillis());
        this.keyWindow = number(keys.window().toMillis());
        this.keysPerUser = number(keys.perUser());
    }

    // --- users -------------------------------------------------------------------------------------------

    @Override
    public String passwordHash(String username) {
        return text(call(jedis -> jedis.hget(USERS, bytes(username))));
    }

    @Override
    public boolean addUser(String username, String passwordHash) {
        return call(jedis -> jedis.hsetnx(USERS, bytes(username), bytes(passwordHash))) == 1;
    }

    @Override
    public long userCount() {
        return call(jedis -> jedis.hlen(USERS));
    }

    // --- sessions ----------------------------------------------------------------------------------------

    @Override
    public boolean openSession(long key, String username) {
        return (Long) call(jedis -> RedisScripts.OPEN_SESSION.run(jedis, List.of(sessionKey(key), SESSIONS),
                List.of(bytes(username), number(idleMillis), number(clock.millis()), number(key)))) == 1;
    }

    @Override
    public String touchSession(long key) {
        String username = text((byte[]) call(jedis -> RedisScripts.TOUCH_SESSION.run(jedis,
                List.of(sessionKey(key), SESSIONS), List.of(number(idleMillis), number(clock.millis()), number(key)))));
        if (username == null) {
            usernames.remove(key);
        } else {
            remember(key, username);
        }
        return username;
    }

    @Override
    public boolean closeSession(long key) {
        usernames.remove(key);
        return (Long) call(jedis -> RedisScripts.CLOSE_SESSION.run(jedis, List.of(sessionKey(key), SESSIONS),
                List.of(number(key)))) == 1;
    }

    /** Counts the session index, which may still hold sessions that expired since the last sweep. */
    @Override
    public long sessionCount() {
        return call(jedis -> jedis.zcard(SESSIONS));
    }

    /** Drops index entries unused for the idle timeout: their sessions' keys have expired in Redis already. */
    @Override
    public int sweepExpiredSessions() {
        double expiredBefore = clock.millis() - idleMillis;
        return (int) (long) call(jedis -> jedis.zremrangeByScore(SESSIONS, Double.NEGATIVE_INFINITY, expiredBefore));
    }

    // --- channels and messages ---------------------------------------------------------------------------

    /** Push's reads: no session, no renewal (see UncheckedReads). */
    private final UncheckedReads unchecked = new UncheckedReads() {
        @Override
        public long lastMessageId(String channel) {
            byte[] last = call(jedis -> jedis.get(lastIdKey(channel)));
            if (last == null) {
                throw StoreRefusals.channelNotFound(channel);
            }
            return Long.parseLong(text(last));
        }

        @Override
        public List<Message> range(String channel, long first, long last) {
            return messages((List<?>) callOn(channel, jedis -> RedisScripts.RANGE.run(jedis, channelKeys(channel),
                    List.of(number(first), number(last)))));
        }

        @Override
        public String epoch(String channel) {
            return text((byte[]) callOn(channel, jedis -> RedisScripts.EPOCH.run(jedis,
                    List.of(lastIdKey(channel), epochKey(channel)), List.of(bytes(Epochs.fresh())))));
        }

        @Override
        public String replaceEpoch(String channel, String lost) {
            return text((byte[]) callOn(channel, jedis -> RedisScripts.REPLACE_EPOCH.run(jedis,
                    List.of(lastIdKey(channel), epochKey(channel)), List.of(bytes(lost), bytes(Epochs.fresh())))));
        }

        @Override
        public boolean renewSession(long sesskey) {
            return touchSession(sesskey) != null;
        }
    };

    @Override
    public UncheckedReads unchecked() {
        return unchecked;
    }

    /** A range script's reply, {first id, message, message, ...} or {}, as messages, each with its time. */
    private static List<Message> messages(List<?> reply) {
        if (reply.isEmpty()) {
            return List.of();
        }
        long id = (Long) reply.get(0);
        List<Message> messages = new ArrayList<>(reply.size() - 1);
        for (int i = 1; i < reply.size(); i++) {
            messages.add(StampedFields.message(id++, (byte[]) reply.get(i)));
        }
        return messages;
    }

    // --- one call each, session check included: one round trip (RedisScripts) ------------------------------

    @Override
    public String requireSession(long sesskey, RateCharge charge) {
        String username = text((byte[]) call(jedis -> RedisScripts.REQUIRE.run(jedis, sessionKeys(sesskey),
                sessionArgs(sesskey, charge, false))));
        remember(sesskey, username);
        return username;
    }

    @Override
    public List<String> channelNames(long sesskey, RateCharge charge) {
        List<?> names = (List<?>) call(jedis -> RedisScripts.LIST.run(jedis, sessionKeys(sesskey, CHANNELS),
                sessionArgs(sesskey, charge, false)));
        List<String> result = new ArrayList<>(names.size());
        names.forEach(name -> result.add(text((byte[]) name)));
        return List.copyOf(result);
    }

    private static final String CHANNEL_LIMIT = "CHANNEL_LIMIT";

    @Override
    public boolean createChannel(long sesskey, RateCharge charge, String name, long maxChannels) {
        try {
            return (Long) call(jedis -> RedisScripts.CREATE.run(jedis,
                    sessionKeys(sesskey, lastIdKey(name), CHANNELS, epochKey(name)),
                    sessionArgs(sesskey, charge, false, bytes(name), number(maxChannels), bytes(Epochs.fresh())))) == 1;
        } catch (JedisDataException e) {
            if (CHANNEL_LIMIT.equals(RedisConnections.scriptError(e))) {
                throw StoreRefusals.channelLimit(maxChannels);
            }
            throw e;
        }
    }

    @Override
    public Message post(long sesskey, RateCharge charge, String channel, Function<String, byte[]> encodeFor) {
        String remembered = usernames.get(sesskey);
        // The first call of a session on this replica costs one round trip more, once, to learn its user.
        String username = remembered != null ? remembered : requireSession(sesskey, RateCharge.EXEMPT);
        byte[] encoded = encodeFor.apply(username);
        try {
            List<?> posted = (List<?>) callOn(channel, jedis -> RedisScripts.POST.run(jedis,
                    sessionKeys(sesskey, lastIdKey(channel), messagesKey(channel)),
                    sessionArgs(sesskey, charge, true, bytes(username), encoded, windowSize, bytes(channel), EVENTS)));
            return new Message((Long) posted.get(0), Long.parseLong(text((byte[]) posted.get(1))), encoded);
        } catch (ChatException e) {
            if (e.error() == ChatError.INVALID_SESSION) {
                usernames.remove(sesskey);
            }
            throw e;
        } catch (JedisDataException e) {
            if (!STALE_USER.equals(RedisConnections.scriptError(e))) {
                throw e;
            }
            usernames.remove(sesskey); // the key is someone else's now: learn whose, and encode for them
            return post(sesskey, charge, channel, encodeFor);
        }
    }

    /**
     * POST_ONCE, the key kept in the script that appends. A Redis at its maxmemory refuses that script whole, a
     * repeat's included; then REPEAT_OF, which only reads, answers a repeat as the first post was: the message
     * is stored, and a client that retried must not be told otherwise.
     */
    @Override
    public Posted postOnce(long sesskey, RateCharge charge, String channel, String idempotencyKey,
                           Function<String, byte[]> encodeFor) {
        String remembered = usernames.get(sesskey);
        String username = remembered != null ? remembered : requireSession(sesskey, RateCharge.EXEMPT);
        byte[] encoded = encodeFor.apply(username);
        byte[] user = bytes(username);
        byte[] key = bytes(idempotencyKey);
        try {
            List<?> reply = (List<?>) callOn(channel, jedis -> RedisScripts.POST_ONCE.run(jedis,
                    sessionKeys(sesskey, lastIdKey(channel), messagesKey(channel), postedKeysKey(username),
                            postedOrderKey(username)),
                    sessionArgs(sesskey, charge, true, user, encoded, windowSize, bytes(channel), EVENTS, key,
                            keyWindow, keysPerUser)));
            long id = (Long) reply.get(0);
            return (Long) reply.get(1) == 1 ? new Posted(id, null)
                    : new Posted(id, new Message(id, Long.parseLong(text((byte[]) reply.get(2))), encoded));
        } catch (ChatException e) {
            if (e.error() == ChatError.INVALID_SESSION) {
                usernames.remove(sesskey);
            }
            Long first = e.error() == ChatError.LIMIT_REACHED ? repeatOf(sesskey, username, encoded, channel, key) : null;
            if (first == null) {
                throw e;
            }
            return new Posted(first, null);
        } catch (JedisDataException e) {
            String refusal = RedisConnections.scriptError(e);
            if (KEY_REUSED.equals(refusal)) {
                throw StoreRefusals.keyReused(idempotencyKey);
            }
            if (!STALE_USER.equals(refusal)) {
                throw e;
            }
            usernames.remove(sesskey); // as in post
            return postOnce(sesskey, charge, channel, idempotencyKey, encodeFor);
        }
    }

    /** The id of the post this key stands for, or null; for when Redis is too full to run POST_ONCE. */
    private Long repeatOf(long sesskey, String username, byte[] encoded, String channel, byte[] key) {
        try {
            return (Long) call(jedis -> RedisScripts.REPEAT_OF.run(jedis, sessionKeys(sesskey, postedKeysKey(username)),
                    sessionArgs(sesskey, RateCharge.EXEMPT, false, bytes(username), encoded, bytes(channel), key,
                            keyWindow)));
        } catch (JedisDataException e) {
            if (KEY_REUSED.equals(RedisConnections.scriptError(e))) {
                throw StoreRefusals.keyReused(text(key));
            }
            throw e;
        }
    }

    /** Redis forgets each user's keys by itself, the window after their last keyed post. */
    @Override
    public int forgetExpiredKeys() {
        return 0;
    }

    @Override
    public long lastMessageId(long sesskey, RateCharge charge, String channel) {
        return (Long) callOn(channel, jedis -> RedisScripts.LAST_MESSAGE.run(jedis,
                sessionKeys(sesskey, lastIdKey(channel)), sessionArgs(sesskey, charge, false)));
    }

    @Override
    public List<Message> range(long sesskey, RateCharge charge, String channel, long first, long last) {
        return messages((List<?>) callOn(channel, jedis -> RedisScripts.RETRIEVE.run(jedis,
                sessionKeys(sesskey, lastIdKey(channel), messagesKey(channel)),
                sessionArgs(sesskey, charge, false, number(first), number(last)))));
    }

    private void remember(long sesskey, String username) {
        if (usernames.size() >= MAX_REMEMBERED_USERNAMES) {
            usernames.clear(); // a crude bound, rarely hit: forgetting costs one round trip per session, once
        }
        usernames.put(sesskey, username);
    }

    /** The session's keys (its own, which holds its rate-limit buckets too, and the index), then the call's. */
    private static List<byte[]> sessionKeys(long sesskey, byte[]... more) {
        List<byte[]> keys = new ArrayList<>(2 + more.length);
        keys.add(sessionKey(sesskey));
        keys.add(SESSIONS);
        keys.addAll(Arrays.asList(more));
        return keys;
    }

    /**
     * The session's arguments (idle timeout, now, key, then each bucket's burst and interval: a burst of 0 when
     * the call is not charged to it), then the call's.
     */
    private List<byte[]> sessionArgs(long sesskey, RateCharge charge, boolean posting, byte[]... more) {
        boolean charged = charge == RateCharge.CHARGED;
        List<byte[]> args = new ArrayList<>(7 + more.length);
        args.add(number(idleMillis));
        args.add(number(clock.millis()));
        args.add(number(sesskey));
        args.add(charged && !callLimit.isOff() ? callBurst : NOT_CHARGED);
        args.add(callInterval);
        args.add(charged && posting && !postLimit.isOff() ? postBurst : NOT_CHARGED);
        args.add(postInterval);
        args.addAll(Arrays.asList(more));
        return args;
    }

    private static List<byte[]> channelKeys(String channel) {
        return List.of(lastIdKey(channel), messagesKey(channel));
    }

    // --- the store itself --------------------------------------------------------------------------------

    @Override
    public void checkAvailable() {
        call(Jedis::ping);
    }

    @Override
    public boolean blocks() {
        return true;
    }

    /** Closes the connections too: a store and its connections live and end together. */
    @Override
    public void close() {
        redis.close();
    }

    /** Runs the work; a script's rate-limit refusal becomes RATE_LIMITED. */
    private <T> T call(Function<Jedis, T> work) {
        try {
            return redis.call(work);
        } catch (JedisDataException e) {
            String refusal = RedisConnections.scriptError(e);
            if (refusal.startsWith(RATE_LIMITED)) {
                throw rateLimited(refusal);
            }
            throw e;
        }
    }

    /** "RATE_LIMITED calls 1200": the limit that refused, and how many ms until it has a token. */
    private ChatException rateLimited(String refusal) {
        String[] parts = refusal.split(" ");
        RateLimit limit = parts[1].equals(postLimit.name()) ? postLimit : callLimit;
        return limit.refuse("", Duration.ofMillis(Long.parseLong(parts[2])));
    }

    /** Like {@link #call}, for work on one channel: a CHANNEL_NOT_FOUND refusal names the channel. */
    private <T> T callOn(String channel, Function<Jedis, T> work) {
        try {
            return call(work);
        } catch (ChatException e) {
            throw e.error() == ChatError.CHANNEL_NOT_FOUND ? StoreRefusals.channelNotFound(channel) : e;
        }
    }

    private static byte[] sessionKey(long key) {
        return bytes("chat:session:" + key);
    }

    static byte[] lastIdKey(String channel) {
        return bytes("chat:channel:{" + channel + "}:last");
    }

    private static byte[] epochKey(String channel) {
        return bytes("chat:channel:{" + channel + "}:epoch");
    }

    private static byte[] messagesKey(String channel) {
        return bytes("chat:channel:{" + channel + "}:messages");
    }

    /** A user's keys share the hash tag {USER}, as a channel's do theirs. */
    private static byte[] postedKeysKey(String username) {
        return bytes("chat:posted:{" + username + "}:keys");
    }

    private static byte[] postedOrderKey(String username) {
        return bytes("chat:posted:{" + username + "}:order");
    }

    private static byte[] number(long value) {
        return bytes(Long.toString(value));
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }
}
