package chat.redis;

/**
 * The Lua scripts behind every store operation that must be one atomic step. Redis runs a script without
 * interleaving any other command, so two replicas can never hand out one message id, leave a gap, or let a reader
 * see a message half-written; and a new message is published in the same step that stores it, so the order of
 * notifications is the order of ids.
 *
 * <p>Key layout (the README and docs/SCALING.md show it too):
 * <pre>
 *   chat:users                   hash      username -> bcrypt hash
 *   chat:session:{KEY}           string    username, with the idle timeout as its TTL (sliding)
 *   chat:sessions                zset      KEY -> time of last use in ms, to count live sessions
 *   chat:channels                list      channel names in creation order
 *   chat:channel:{NAME}:last     string    the channel's newest message id; exists iff the channel does
 *   chat:channel:{NAME}:messages list      the kept messages, oldest first, as encoded bytes
 *   chat:events                  pub/sub   "m{id} {name length} {name}{encoded}" and "s{session key}"
 * </pre>
 * A channel's two keys share the hash tag {NAME}, so under Redis Cluster they land in one slot and the post
 * script stays legal there.
 */
final class RedisScripts {
    private RedisScripts() {
    }

    /** KEYS: session, session index. ARGV: username, idle ms, now ms, session key. Returns 1 when opened. */
    static final RedisScript OPEN_SESSION = new RedisScript("""
            if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
              redis.call('ZADD', KEYS[2], ARGV[3], ARGV[4])
              return 1
            end
            return 0
            """);

    /** KEYS: session, session index. ARGV: idle ms, now ms, session key. Returns the username, or nil. */
    static final RedisScript TOUCH_SESSION = new RedisScript("""
            local username = redis.call('GET', KEYS[1])
            if username then
              redis.call('PEXPIRE', KEYS[1], ARGV[1])
              redis.call('ZADD', KEYS[2], ARGV[2], ARGV[3])
            end
            return username
            """);

    /** KEYS: session, session index. ARGV: session key. Returns 1 when a live session was ended. */
    static final RedisScript CLOSE_SESSION = new RedisScript("""
            local ended = redis.call('DEL', KEYS[1])
            redis.call('ZREM', KEYS[2], ARGV[1])
            return ended
            """);

    /** KEYS: the channel's last-id key, the channel list. ARGV: name. Returns 1 when created. */
    static final RedisScript ADD_CHANNEL = new RedisScript("""
            if redis.call('SET', KEYS[1], 0, 'NX') then
              redis.call('RPUSH', KEYS[2], ARGV[1])
              return 1
            end
            return 0
            """);

    /**
     * KEYS: the channel's last-id key, its message list. ARGV: encoded message, window size, channel name, events
     * channel. Returns the new id, or -1 when there is no such channel.
     */
    static final RedisScript APPEND = new RedisScript("""
            if redis.call('EXISTS', KEYS[1]) == 0 then
              return -1
            end
            local id = redis.call('INCR', KEYS[1])
            redis.call('RPUSH', KEYS[2], ARGV[1])
            redis.call('LTRIM', KEYS[2], -tonumber(ARGV[2]), -1)
            redis.call('PUBLISH', ARGV[4], string.format('m%d %d ', id, #ARGV[3]) .. ARGV[3] .. ARGV[1])
            return id
            """);

    /**
     * KEYS: the channel's last-id key, its message list. ARGV: first id, last id. Returns nil when there is no
     * such channel, else {first id returned, message, message, ...}, or {} when none of the ids is kept. The list
     * holds ids (newest - length + 1) to newest, so ids map to list positions without being stored.
     */
    static final RedisScript RANGE = new RedisScript("""
            local newest = redis.call('GET', KEYS[1])
            if not newest then
              return false
            end
            newest = tonumber(newest)
            local oldest = newest - redis.call('LLEN', KEYS[2]) + 1
            local from = math.max(tonumber(ARGV[1]), oldest)
            local to = math.min(tonumber(ARGV[2]), newest)
            if from > to then
              return {}
            end
            local messages = redis.call('LRANGE', KEYS[2], from - oldest, to - oldest)
            table.insert(messages, 1, from)
            return messages
            """);
}
