package chat.redis;

/**
 * The Lua scripts behind every store operation that must be one atomic step. Redis runs a script without
 * interleaving any other command, so two replicas can never hand out one message id, leave a gap, or let a reader
 * see a message half-written; and a new message is published in the same step that stores it, so the order of
 * notifications is the order of ids.
 *
 * <p>Each call of the protocol is one script, its session check included, so it costs one round trip. A script
 * refuses with an error reply named after the ChatError it means (INVALID_SESSION, CHANNEL_NOT_FOUND, ...).
 *
 * <p>Key layout (docs/SCALING.md shows it too):
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

    // --- Lua functions the scripts below are made of ----------------------------------------------------------

    /**
     * The first line of a script that adds what a client chose (a message, a channel): with it (Redis 7's script
     * flags, none given) Redis refuses the whole script up front when it is at its maxmemory, with "OOM command not
     * allowed", which RedisConnections answers LIMIT_REACHED. Without it Redis refuses only a script whose first
     * write needs memory, and the session renewal every script starts with (PEXPIRE) needs none, so a post would go
     * past maxmemory. The other scripts keep the old rule on purpose: reads, whose only writes renew a session, go
     * on when Redis is full.
     */
    private static final String REFUSED_WHEN_FULL = "#!lua\n";

    /** Renews a session (sliding expiry, and its place in the index) and returns its user, or false. */
    private static final String RENEW_SESSION = """
            local function renewSession(session, index, idle, now, sesskey)
              local username = redis.call('GET', session)
              if username then
                redis.call('PEXPIRE', session, idle)
                redis.call('ZADD', index, now, sesskey)
              end
              return username
            end
            """;

    /** The session check that opens every call's script; KEYS[1], KEYS[2] and ARGV[1..3] are the session's. */
    private static final String REQUIRE_SESSION = RENEW_SESSION + """
            local username = renewSession(KEYS[1], KEYS[2], ARGV[1], ARGV[2], ARGV[3])
            if not username then
              return redis.error_reply('INVALID_SESSION')
            end
            """;

    /** Creates a channel unless the name is taken: 1 or 0. */
    private static final String ADD_CHANNEL_FUNCTION = """
            local function addChannel(lastId, names, name)
              if redis.call('SET', lastId, 0, 'NX') then
                redis.call('RPUSH', names, name)
                return 1
              end
              return 0
            end
            """;

    /**
     * Appends a message, keeps the newest {@code window}, publishes it, and returns its id; an error reply when
     * there is no such channel.
     */
    private static final String APPEND_FUNCTION = """
            local function append(lastId, messages, encoded, window, channel, events)
              if redis.call('EXISTS', lastId) == 0 then
                return redis.error_reply('CHANNEL_NOT_FOUND')
              end
              local id = redis.call('INCR', lastId)
              redis.call('RPUSH', messages, encoded)
              redis.call('LTRIM', messages, -tonumber(window), -1)
              redis.call('PUBLISH', events, string.format('m%d %d ', id, #channel) .. channel .. encoded)
              return id
            end
            """;

    /**
     * The kept messages with ids in [first, last]: {first id returned, message, message, ...}, or {} when none is
     * kept; an error reply when there is no such channel. The list holds ids (newest - length + 1) to newest, so
     * ids map to list positions without being stored.
     */
    private static final String RANGE_FUNCTION = """
            local function range(lastId, messages, first, last)
              local newest = redis.call('GET', lastId)
              if not newest then
                return redis.error_reply('CHANNEL_NOT_FOUND')
              end
              newest = tonumber(newest)
              local oldest = newest - redis.call('LLEN', messages) + 1
              local from = math.max(tonumber(first), oldest)
              local to = math.min(tonumber(last), newest)
              if from > to then
                return {}
              end
              local kept = redis.call('LRANGE', messages, from - oldest, to - oldest)
              table.insert(kept, 1, from)
              return kept
            end
            """;

    // --- sessions --------------------------------------------------------------------------------------------

    /** KEYS: session, session index. ARGV: username, idle ms, now ms, session key. Returns 1 when opened. */
    static final RedisScript OPEN_SESSION = new RedisScript("""
            if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
              redis.call('ZADD', KEYS[2], ARGV[3], ARGV[4])
              return 1
            end
            return 0
            """);

    /** KEYS: session, session index. ARGV: idle ms, now ms, session key. Returns the username, or nil. */
    static final RedisScript TOUCH_SESSION = new RedisScript(RENEW_SESSION + """
            return renewSession(KEYS[1], KEYS[2], ARGV[1], ARGV[2], ARGV[3])
            """);

    /** KEYS: session, session index. ARGV: session key. Returns 1 when a live session was ended. */
    static final RedisScript CLOSE_SESSION = new RedisScript("""
            local ended = redis.call('DEL', KEYS[1])
            redis.call('ZREM', KEYS[2], ARGV[1])
            return ended
            """);

    // --- for the push side, which has checked its session already ------------------------------------------

    /** KEYS: the channel's last-id key, its message list. ARGV: first id, last id. */
    static final RedisScript RANGE = new RedisScript(RANGE_FUNCTION + """
            return range(KEYS[1], KEYS[2], ARGV[1], ARGV[2])
            """);

    // --- one call each, the session check included: one round trip a call --------------------------------------
    // KEYS[1], KEYS[2] and ARGV[1..3] are the session's (see REQUIRE_SESSION); the call's own follow.

    /** list. KEYS[3]: the channel list. */
    static final RedisScript LIST = new RedisScript(REQUIRE_SESSION + """
            return redis.call('LRANGE', KEYS[3], 0, -1)
            """);

    /**
     * create. KEYS[3..4]: the channel's last-id key, the channel list. ARGV[4..5]: name, most channels. Refuses with
     * CHANNEL_LIMIT at the most channels (RedisStore words it; LIMIT_REACHED would not tell it from a full Redis).
     */
    static final RedisScript CREATE = new RedisScript(REFUSED_WHEN_FULL + REQUIRE_SESSION + ADD_CHANNEL_FUNCTION + """
            if redis.call('LLEN', KEYS[4]) >= tonumber(ARGV[5]) then
              return redis.error_reply('CHANNEL_LIMIT')
            end
            return addChannel(KEYS[3], KEYS[4], ARGV[4])
            """);

    /**
     * post. KEYS[3..4]: the channel's last-id key, its message list. ARGV[4..8]: the username the message was
     * encoded for, the encoded message, window, channel, events channel. The username comes from the replica's
     * memory of this session; should the key have been given to another user since (after expiring), the script
     * refuses with STALE_USER and the replica asks again.
     */
    static final RedisScript POST = new RedisScript(REFUSED_WHEN_FULL + REQUIRE_SESSION + APPEND_FUNCTION + """
            if username ~= ARGV[4] then
              return redis.error_reply('STALE_USER')
            end
            return append(KEYS[3], KEYS[4], ARGV[5], ARGV[6], ARGV[7], ARGV[8])
            """);

    /** lastmessage. KEYS[3]: the channel's last-id key. */
    static final RedisScript LAST_MESSAGE = new RedisScript(REQUIRE_SESSION + """
            local newest = redis.call('GET', KEYS[3])
            if not newest then
              return redis.error_reply('CHANNEL_NOT_FOUND')
            end
            return tonumber(newest)
            """);

    /** retrieve. KEYS[3..4]: the channel's last-id key, its message list. ARGV[4..5]: first id, last id. */
    static final RedisScript RETRIEVE = new RedisScript(REQUIRE_SESSION + RANGE_FUNCTION + """
            return range(KEYS[3], KEYS[4], ARGV[4], ARGV[5])
            """);
}
