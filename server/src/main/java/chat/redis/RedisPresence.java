package chat.redis;

import chat.error.ChatError;
import chat.error.ChatException;
import chat.store.PresenceStore;
import chat.store.StoreRefusals;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Presence in Redis, shared by the replicas, each step one Lua script (times from Redis's TIME, so replicas'
 * clocks need not agree). Keys:
 * <pre>
 *   chat:presence                 zset   "{channel byte length} {channel}{replica id}{user}" -> expiry ms: every
 *                                        entry of every replica; a live one is refreshed by its replica every third
 *                                        of the expiry, a lingering one was set to end after the grace period
 *   chat:channel:{NAME}:present   hash   user -> how many entries (replicas) hold them present; HLEN is the count
 *   chat:channel:{NAME}:names     zset   the present users, all scored 0, so ZRANGEBYLEX pages them by name
 *   chat:events                   pub/sub "j{channel byte length} {channel}{user}" (join), "l..." (leave)
 * </pre>
 * A replica killed without cleaning up stops refreshing: its entries expire within the expiry and the sweep, one
 * script that removes what expired and returns it, announces the leaves once, on whichever replica ran it. The
 * scripts publish the events in the step that changes presence, as the post script does messages, so every replica
 * hears them in one order.
 */
public final class RedisPresence implements PresenceStore {
    private static final byte[] ENTRIES = RedisStore.bytes("chat:presence");
    /** Entries one sweep removes at most, so that a script never holds Redis long; the next sweep takes the rest. */
    private static final int SWEEP_BATCH = 1000;

    private static final String MILLIS = """
            local function redisMillis()
              local time = redis.call('TIME')
              return tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
            end
            """;

    /**
     * KEYS: entries, the channel's present hash, its names, the events channel. ARGV: entry, channel, user, expiry
     * ms, most users announced. Returns 1 for a join announced, 2 for one not announced (too many present), else 0.
     */
    private static final RedisScript ENTER = new RedisScript(MILLIS + """
            if redis.call('ZADD', KEYS[1], redisMillis() + tonumber(ARGV[4]), ARGV[1]) == 0 then
              return 0
            end
            if redis.call('HINCRBY', KEYS[2], ARGV[3], 1) > 1 then
              return 0
            end
            redis.call('ZADD', KEYS[3], 0, ARGV[3])
            if redis.call('HLEN', KEYS[2]) > tonumber(ARGV[5]) then
              return 2
            end
            redis.call('PUBLISH', KEYS[4], string.format('j%d ', #ARGV[2]) .. ARGV[2] .. ARGV[3])
            return 1
            """);

    /** KEYS: entries. ARGV: entry, grace ms. An entry still there ends after the grace period. */
    private static final RedisScript LINGER = new RedisScript(MILLIS + """
            redis.call('ZADD', KEYS[1], 'XX', redisMillis() + tonumber(ARGV[2]), ARGV[1])
            return 0
            """);

    /**
     * KEYS: entries, the events channel. ARGV: most users announced, most entries removed. Removes expired entries;
     * a user left with none has left: returns {channel, user, ...} of the leaves it announced.
     */
    private static final RedisScript SWEEP = new RedisScript(MILLIS + """
            local expired = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', redisMillis(), 'LIMIT', 0, tonumber(ARGV[2]))
            local left = {}
            for _, entry in ipairs(expired) do
              redis.call('ZREM', KEYS[1], entry)
              local space = string.find(entry, ' ', 1, true)
              local length = tonumber(string.sub(entry, 1, space - 1))
              local channel = string.sub(entry, space + 1, space + length)
              local user = string.sub(entry, space + length + 1 + %d)
              local present = 'chat:channel:{' .. channel .. '}:present'
              if redis.call('HINCRBY', present, user, -1) <= 0 then
                local count = redis.call('HLEN', present)
                redis.call('HDEL', present, user)
                redis.call('ZREM', 'chat:channel:{' .. channel .. '}:names', user)
                if count <= tonumber(ARGV[1]) then
                  redis.call('PUBLISH', KEYS[2], string.format('l%%d ', #channel) .. channel .. user)
                  table.insert(left, channel)
                  table.insert(left, user)
                end
              end
            end
            return left
            """.formatted(ReplicaId.LENGTH));

    /** KEYS: the channel's last-id key, present hash, names. ARGV: the name to page after ("": from the first). */
    private static final RedisScript WHO = new RedisScript("""
            if redis.call('EXISTS', KEYS[1]) == 0 then
              return redis.error_reply('CHANNEL_NOT_FOUND')
            end
            local from = ARGV[1] == '' and '-' or '(' .. ARGV[1]
            return {redis.call('HLEN', KEYS[2]), redis.call('ZRANGEBYLEX', KEYS[3], from, '+', 'LIMIT', 0, %d)}
            """.formatted(PAGE));

    /** This process's part of each entry's name: random, so that a restarted replica is a new one. */
    private static final class ReplicaId {
        static final int LENGTH = 16;

        static String fresh() {
            byte[] random = new byte[LENGTH / 2];
            new SecureRandom().nextBytes(random);
            return HexFormat.of().formatHex(random);
        }
    }

    private final RedisConnections redis;
    private final String replica = ReplicaId.fresh();
    private final byte[] expiryMillis;
    private final byte[] graceMillis;
    private final byte[] maxAnnounced;

    /**
     * @param expiry       how long a live entry stays without being refreshed: a killed replica's users leave
     *                     within it
     * @param maxAnnounced joins and leaves are announced while the channel has at most this many present users
     */
    public RedisPresence(RedisConnections redis, Duration grace, Duration expiry, int maxAnnounced) {
        this.redis = redis;
        this.expiryMillis = number(expiry.toMillis());
        this.graceMillis = number(grace.toMillis());
        this.maxAnnounced = number(maxAnnounced);
    }

    @Override
    public Change enter(String channel, String username) {
        long outcome = (Long) redis.call(jedis -> ENTER.run(jedis,
                List.of(ENTRIES, presentKey(channel), namesKey(channel), RedisStore.EVENTS),
                List.of(entry(channel, username), bytes(channel), bytes(username), expiryMillis, maxAnnounced)));
        return outcome == 1 ? new Change(channel, username, true) : null;
    }

    @Override
    public void linger(String channel, String username) {
        redis.call(jedis -> LINGER.run(jedis, List.of(ENTRIES), List.of(entry(channel, username), graceMillis)));
    }

    @Override
    public List<Change> sweep() {
        List<?> reply = (List<?>) redis.call(jedis -> SWEEP.run(jedis, List.of(ENTRIES, RedisStore.EVENTS),
                List.of(maxAnnounced, number(SWEEP_BATCH))));
        List<Change> left = new ArrayList<>(reply.size() / 2);
        for (int i = 0; i + 1 < reply.size(); i += 2) {
            left.add(new Change(text(reply.get(i)), text(reply.get(i + 1)), false));
        }
        return left;
    }

    @Override
    public Page who(String channel, String after) {
        List<?> reply;
        try {
            reply = (List<?>) redis.call(jedis -> WHO.run(jedis,
                    List.of(RedisStore.lastIdKey(channel), presentKey(channel), namesKey(channel)),
                    List.of(bytes(after))));
        } catch (ChatException e) {
            throw e.error() == ChatError.CHANNEL_NOT_FOUND ? StoreRefusals.channelNotFound(channel) : e;
        }
        List<String> users = new ArrayList<>();
        for (Object name : (List<?>) reply.get(1)) {
            users.add(text(name));
        }
        return new Page((Long) reply.get(0), users);
    }

    private byte[] entry(String channel, String username) {
        return bytes(bytes(channel).length + " " + channel + replica + username);
    }

    private static byte[] presentKey(String channel) {
        return bytes("chat:channel:{" + channel + "}:present");
    }

    private static byte[] namesKey(String channel) {
        return bytes("chat:channel:{" + channel + "}:names");
    }

    private static byte[] number(long value) {
        return bytes(Long.toString(value));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(Object bytes) {
        return new String((byte[]) bytes, StandardCharsets.UTF_8);
    }
}
