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
 *   chat:session:{KEY}           string    username, with the idle timeout as its TTL (sliding); once the session
 *                                          is charged a call, then "\n{calls full at}\n{posts full at}": its two
 *                                          rate-limit buckets (ms, Redis's clock), which go when it goes
 *   chat:sessions                zset      KEY -> time of last use in ms, to count live sessions
 *   chat:channels                list      channel names in creation order
 *   chat:channel:{NAME}:last     string    the channel's newest message id; exists iff the channel does
 *   chat:channel:{NAME}:messages list      the kept messages, oldest first, as encoded bytes stamped with their
 *                                          time (StampedFields)
 *   chat:channel:{NAME}:epoch    string    the identity of the channel's history (chat.store.Epochs), set when
 *                                          it is created (or first asked for, for a channel older than epochs) and
 *                                          replaced when a replica notices the history went back
 *   chat:events                  pub/sub   "m{id} {name length} {name}{stamped encoded}" and "s{session key}"
 *   chat:posted:{USER}:keys      hash      a user's idempotency keys (spec post/5): KEY -> "{posted at ms} {id}
 *                                          {sha1 of channel, newline, encoded message}"; with :order, expiring the
 *                                          idempotency window after the user's last keyed post
 *   chat:posted:{USER}:order     zset      the same keys -> posted at ms: which are expired or the oldest
 *   chat:rate:{LIMIT}:{KEY}      string    logon's token buckets: the time in ms (Redis's clock) at which it is
 *                                          full again, expiring then; absent when full (LIMIT: logons,
 *                                          registrations, failed-logons...; KEY: a client address, a username,
 *                                          or "address|username")
 * </pre>
 * A channel's keys share the hash tag {NAME}, so under Redis Cluster they land in one slot. The scripts are not
 * Cluster-ready as they stand, though: every call's script also touches its session's key, and a keyed post
 * (POST_ONCE) the user's {USER} keys, in other slots (docs/SCALING.md says what a split would take).
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

    /**
     * Renews a session (sliding expiry, and its place in the index) and returns its user, or false. A session's value
     * is its username, then, once it has been charged, "\n" and the times its two buckets are full again: a
     * username has no control character, so the first "\n" ends it.
     */
    private static final String RENEW_SESSION = """
            local function usernameOf(value)
              local newline = string.find(value, '\\n', 1, true)
              return newline and string.sub(value, 1, newline - 1) or value
            end
            local function renewSession(session, index, idle, now, sesskey)
              local value = redis.call('GET', session)
              if value then
                redis.call('PEXPIRE', session, idle)
                redis.call('ZADD', index, now, sesskey)
                return usernameOf(value)
              end
              return value
            end
            """;

    /** Redis's clock in ms: one clock for every replica. */
    private static final String REDIS_MILLIS_FUNCTION = """
            local function redisMillis()
              local time = redis.call('TIME')
              return tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
            end
            """;

    /**
     * Takes a token from each bucket ({key, burst, interval ms}), all or none: returns 0, 0 when taken, else the
     * index of the bucket that is empty longest and how long (ms) until it has a token. A bucket is kept as the time
     * it will be full again (GCRA): one number, no refill to compute, and a key that expires exactly when it would
     * no longer differ from no key. The clock is Redis's own, so replicas with different clocks share one limit.
     */
    private static final String TAKE_TOKENS_FUNCTION = REDIS_MILLIS_FUNCTION + """
            local function takeTokens(buckets)
              local now = redisMillis()
              local refused, longest = 0, 0
              local fullAt = {}
              for i, bucket in ipairs(buckets) do
                local full = math.max(tonumber(redis.call('GET', bucket[1]) or 0), now) + bucket[3]
                local wait = full - now - bucket[2] * bucket[3]
                if wait > longest then
                  refused, longest = i, wait
                end
                fullAt[i] = full
              end
              if refused > 0 then
                return refused, longest
              end
              for i, bucket in ipairs(buckets) do
                redis.call('SET', bucket[1], string.format('%d', fullAt[i]), 'PX', string.format('%d', fullAt[i] - now))
              end
              return 0, 0
            end
            """;

    /**
     * The session check that opens every call's script, with the session's rate limits: KEYS[1..2] are the session
     * and the session index; ARGV[1..7] the idle timeout, now, the session key, and the calls' and the posts' burst
     * and interval in ms (a burst of 0: not charged). A session's two buckets are kept in its own value (see
     * RENEW_SESSION), each as the time it is full again (GCRA, as takeTokens): taking a token rewrites the value
     * that renewing the session touches anyway, so a charged call costs Redis one command more than an exempt one
     * (the SET), no key of its own, and the buckets go with the session. Takes both tokens or neither; refuses
     * "RATE_LIMITED {limit} {wait ms}". The time is the replica's (ARGV[2], as the session index has it), not
     * Redis's TIME, which cost this hot path a command more: replicas' clocks agree to milliseconds under NTP, and a
     * replica whose clock is behind only sees the buckets emptier.
     */
    private static final String REQUIRE_SESSION = requireSession(true);

    /**
     * REQUIRE_SESSION for a script that starts with {@link #REFUSED_WHEN_FULL}: Redis refuses such a script whole
     * when it is full, so a charged session need not be renewed first: its SET renews it (or, refused, a PEXPIRE).
     * One command fewer on the path of every post.
     */
    private static final String REQUIRE_SESSION_REFUSED_WHEN_FULL = requireSession(false);

    private static String requireSession(boolean renewedFirst) {
        String renewal = renewedFirst ? """
                  -- Renewed first, as when not charged: PEXPIRE needs no memory, so a Redis at its maxmemory still
                  -- runs the writes after it (it refuses a script whose first write needs memory), and reads go on.
                  redis.call('PEXPIRE', KEYS[1], ARGV[1])
                """ : "";
        String renewalWhenRefused = renewedFirst ? "" : """
                    redis.call('PEXPIRE', KEYS[1], ARGV[1])
                """;
        return RENEW_SESSION + """
            local callBurst, postBurst = tonumber(ARGV[4]), tonumber(ARGV[6])
            local username
            if callBurst == 0 and postBurst == 0 then
              username = renewSession(KEYS[1], KEYS[2], ARGV[1], ARGV[2], ARGV[3])
              if not username then
                return redis.error_reply('INVALID_SESSION')
              end
            else
              local value = redis.call('GET', KEYS[1])
              if not value then
                return redis.error_reply('INVALID_SESSION')
              end
            """ + renewal + """
              redis.call('ZADD', KEYS[2], ARGV[2], ARGV[3])
              username = usernameOf(value)
              local callsFull, postsFull = 0, 0
              if #username < #value then
                local second = string.find(value, '\\n', #username + 2, true)
                callsFull = tonumber(string.sub(value, #username + 2, second - 1))
                postsFull = tonumber(string.sub(value, second + 1))
              end
              local now = tonumber(ARGV[2])
              local refused, wait = nil, 0
              if callBurst > 0 then
                local interval = tonumber(ARGV[5])
                callsFull = math.max(callsFull, now) + interval
                wait = callsFull - now - callBurst * interval
                if wait > 0 then
                  refused = 'calls'
                end
              end
              if not refused and postBurst > 0 then
                local interval = tonumber(ARGV[7])
                postsFull = math.max(postsFull, now) + interval
                wait = postsFull - now - postBurst * interval
                if wait > 0 then
                  refused = 'posts'
                end
              end
              if refused then
            """ + renewalWhenRefused + """
                return redis.error_reply(string.format('RATE_LIMITED %s %d', refused, wait))
              end
              redis.call('SET', KEYS[1], string.format('%s\\n%d\\n%d', username, callsFull, postsFull), 'PX', ARGV[1])
            end
            """;
    }

    /** Creates a channel, its history's epoch given, unless the name is taken: 1 or 0. */
    private static final String ADD_CHANNEL_FUNCTION = """
            local function addChannel(lastId, names, name, epochKey, epoch)
              if redis.call('SET', lastId, 0, 'NX') then
                redis.call('SET', epochKey, epoch)
                redis.call('RPUSH', names, name)
                return 1
              end
              return 0
            end
            """;

    /**
     * Appends a message stamped with its time (see {@link StampedFields}), keeps the newest {@code window}, publishes
     * it, and returns its id and time; an error reply when there is no such channel. The time is Redis's, so that
     * replicas agree, and never before the previous message's, so that times do not go back as ids go up, even when
     * Redis's clock is set back.
     */
    private static final String APPEND_FUNCTION = REDIS_MILLIS_FUNCTION + """
            local function append(lastId, messages, encoded, window, channel, events)
              if redis.call('EXISTS', lastId) == 0 then
                return redis.error_reply('CHANNEL_NOT_FOUND')
              end
              local id = redis.call('INCR', lastId)
              local previous = string.match(redis.call('LINDEX', messages, -1) or '', '^%z?"time":(%d+),')
              local time = string.format('%d', math.max(redisMillis(), tonumber(previous or 0)))
              local stamped
              if string.byte(encoded, 1) == 0 then
                stamped = '\\0"time":' .. time .. ',' .. string.sub(encoded, 2)
              else
                stamped = '"time":' .. time .. ',' .. encoded
              end
              redis.call('RPUSH', messages, stamped)
              redis.call('LTRIM', messages, -tonumber(window), -1)
              redis.call('PUBLISH', events, string.format('m%d %d ', id, #channel) .. channel .. stamped)
              return {id, time}
            end
            """;

    /**
     * The post an idempotency key stands for (KEYS: the user's key hash; a key, the digest of this post, now and the
     * window in ms): its id, nil when the key is unknown or older than the window, or false when it stood for another
     * channel or message.
     */
    private static final String KEPT_POST_FUNCTION = """
            local function keptPost(keys, key, digest, now, window)
              local kept = redis.call('HGET', keys, key)
              if not kept then
                return nil
              end
              local at, id, was = string.match(kept, '^(%d+) (%d+) (%x+)$')
              if now - tonumber(at) >= window then
                return nil
              end
              if was ~= digest then
                return false
              end
              return tonumber(id)
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

    // --- logon's rate limits (RedisBuckets): logon is hashed anyway, so these may cost a round trip of their own --

    /**
     * KEYS: the buckets. ARGV: each bucket's burst and interval ms, in turn. Takes a token from each, all or none:
     * returns {0, 0}, or {the refusing bucket's index, its wait in ms}.
     */
    static final RedisScript TAKE_TOKENS = new RedisScript(TAKE_TOKENS_FUNCTION + """
            local buckets = {}
            for i, key in ipairs(KEYS) do
              buckets[i] = {key, tonumber(ARGV[2 * i - 1]), tonumber(ARGV[2 * i])}
            end
            local refused, wait = takeTokens(buckets)
            return {refused, wait}
            """);

    /** KEYS: the buckets. ARGV: each bucket's interval ms. Puts one token back into each (a full one stays full). */
    static final RedisScript GIVE_BACK_TOKENS = new RedisScript(TAKE_TOKENS_FUNCTION + """
            local now = redisMillis()
            for i, key in ipairs(KEYS) do
              local full = tonumber(redis.call('GET', key) or 0) - tonumber(ARGV[i])
              if full <= now then
                redis.call('DEL', key)
              else
                redis.call('SET', key, string.format('%d', full), 'PX', string.format('%d', full - now))
              end
            end
            return 0
            """);

    // --- for the push side, which has checked its session already ------------------------------------------

    /** KEYS: the channel's last-id key, its message list. ARGV: first id, last id. */
    static final RedisScript RANGE = new RedisScript(RANGE_FUNCTION + """
            return range(KEYS[1], KEYS[2], ARGV[1], ARGV[2])
            """);

    /**
     * KEYS: the channel's last-id key, its epoch key. ARGV: a fresh epoch. Returns the epoch; a channel created
     * before epochs were kept takes the fresh one now, once (a script runs alone: concurrent askers agree on one).
     * Read first and written only when missing, so that a subscribe goes on while Redis is at its maxmemory (a SET
     * in a script is refused then, even one that would change nothing).
     */
    static final RedisScript EPOCH = new RedisScript("""
            if redis.call('EXISTS', KEYS[1]) == 0 then
              return redis.error_reply('CHANNEL_NOT_FOUND')
            end
            local epoch = redis.call('GET', KEYS[2])
            if epoch then
              return epoch
            end
            redis.call('SET', KEYS[2], ARGV[1])
            return ARGV[1]
            """);

    /**
     * KEYS: the channel's last-id key, its epoch key. ARGV: the epoch of the history found lost, a fresh one.
     * Replaces the epoch only if it is still the lost one (another replica may have replaced it first); returns
     * the epoch now.
     */
    static final RedisScript REPLACE_EPOCH = new RedisScript("""
            if redis.call('EXISTS', KEYS[1]) == 0 then
              return redis.error_reply('CHANNEL_NOT_FOUND')
            end
            local epoch = redis.call('GET', KEYS[2])
            if not epoch or epoch == ARGV[1] then
              redis.call('SET', KEYS[2], ARGV[2])
              return ARGV[2]
            end
            return epoch
            """);

    // --- one call each, the session check included: one round trip a call --------------------------------------
    // KEYS[1..2] and ARGV[1..7] are the session's (see REQUIRE_SESSION); the call's own follow.

    /** A WebSocket's subscribe and unsubscribe: the session check alone; returns the username. */
    static final RedisScript REQUIRE = new RedisScript(REQUIRE_SESSION + """
            return username
            """);

    /** list. KEYS[3]: the channel list. */
    static final RedisScript LIST = new RedisScript(REQUIRE_SESSION + """
            return redis.call('LRANGE', KEYS[3], 0, -1)
            """);

    /**
     * create. KEYS[3..5]: the channel's last-id key, the channel list, its epoch key. ARGV[8..10]: name, most
     * channels, the new history's epoch. A name taken
     * answers 0 before the count is looked at, as in memory. Refuses with
     * CHANNEL_LIMIT at the most channels (RedisStore words it; LIMIT_REACHED would not tell it from a full Redis).
     */
    static final RedisScript CREATE = new RedisScript(REFUSED_WHEN_FULL + REQUIRE_SESSION_REFUSED_WHEN_FULL + ADD_CHANNEL_FUNCTION + """
            if redis.call('EXISTS', KEYS[3]) == 1 then
              return 0
            end
            if redis.call('LLEN', KEYS[4]) >= tonumber(ARGV[9]) then
              return redis.error_reply('CHANNEL_LIMIT')
            end
            return addChannel(KEYS[3], KEYS[4], ARGV[8], KEYS[5], ARGV[10])
            """);

    /**
     * post. KEYS[3..4]: the channel's last-id key, its message list. Returns {id, time}. ARGV[8..12]: the username
     * the message was
     * encoded for, the encoded message, window, channel, events channel. The username comes from the replica's
     * memory of this session; should the key have been given to another user since (after expiring), the script
     * refuses with STALE_USER and the replica asks again.
     */
    static final RedisScript POST = new RedisScript(REFUSED_WHEN_FULL + REQUIRE_SESSION_REFUSED_WHEN_FULL + APPEND_FUNCTION + """
            if username ~= ARGV[8] then
              return redis.error_reply('STALE_USER')
            end
            return append(KEYS[3], KEYS[4], ARGV[9], ARGV[10], ARGV[11], ARGV[12])
            """);

    /**
     * post with an idempotency key: POST's KEYS and ARGV, then KEYS[5..6] the user's key hash and key order, ARGV[13..15]
     * the key, the idempotency window in ms and the most keys a user keeps. Returns {id, 1} for a repeat (nothing
     * posted), {id, 0, time} for a post; refuses IDEMPOTENCY_KEY_REUSED. The key is kept in the step that appends, so of
     * racing repeats one posts and the others find it. Then forgets the user's keys older than the window and,
     * past the most, the oldest.
     */
    static final RedisScript POST_ONCE = new RedisScript(REFUSED_WHEN_FULL + REQUIRE_SESSION_REFUSED_WHEN_FULL
            + APPEND_FUNCTION + KEPT_POST_FUNCTION + """
            if username ~= ARGV[8] then
              return redis.error_reply('STALE_USER')
            end
            local now, window = tonumber(ARGV[2]), tonumber(ARGV[14])
            local digest = redis.sha1hex(ARGV[11] .. '\\n' .. ARGV[9])
            local kept = keptPost(KEYS[5], ARGV[13], digest, now, window)
            if kept == false then
              return redis.error_reply('IDEMPOTENCY_KEY_REUSED')
            elseif kept then
              return {kept, 1}
            end
            local appended = append(KEYS[3], KEYS[4], ARGV[9], ARGV[10], ARGV[11], ARGV[12])
            if appended.err then
              return appended
            end
            local id = appended[1]
            redis.call('HSET', KEYS[5], ARGV[13], string.format('%d %d %s', now, id, digest))
            redis.call('ZADD', KEYS[6], now, ARGV[13])
            local forgotten = redis.call('ZRANGEBYSCORE', KEYS[6], '-inf', now - window)
            local over = redis.call('ZCARD', KEYS[6]) - #forgotten - tonumber(ARGV[15])
            if over > 0 then
              forgotten = redis.call('ZRANGE', KEYS[6], 0, #forgotten + over - 1)
            end
            if #forgotten > 0 then
              redis.call('HDEL', KEYS[5], unpack(forgotten))
              redis.call('ZREM', KEYS[6], unpack(forgotten))
            end
            redis.call('PEXPIRE', KEYS[5], window)
            redis.call('PEXPIRE', KEYS[6], window)
            return {id, 0, appended[2]}
            """);

    /**
     * The repeat of a keyed post when Redis is full, which refuses POST_ONCE whole: reads only, so it runs then.
     * KEYS[3]: the user's key hash. ARGV[8..12]: the username, encoded message, channel, key, window ms. Returns the
     * first post's id, nil when the key stands for no post; refuses IDEMPOTENCY_KEY_REUSED.
     */
    static final RedisScript REPEAT_OF = new RedisScript(REQUIRE_SESSION + KEPT_POST_FUNCTION + """
            if username ~= ARGV[8] then
              return nil
            end
            local kept = keptPost(KEYS[3], ARGV[11], redis.sha1hex(ARGV[10] .. '\\n' .. ARGV[9]), tonumber(ARGV[2]),
                tonumber(ARGV[12]))
            if kept == false then
              return redis.error_reply('IDEMPOTENCY_KEY_REUSED')
            end
            return kept
            """);

    /** lastmessage. KEYS[3]: the channel's last-id key. */
    static final RedisScript LAST_MESSAGE = new RedisScript(REQUIRE_SESSION + """
            local newest = redis.call('GET', KEYS[3])
            if not newest then
              return redis.error_reply('CHANNEL_NOT_FOUND')
            end
            return tonumber(newest)
            """);

    /** retrieve. KEYS[3..4]: the channel's last-id key, its message list. ARGV[8..9]: first id, last id. */
    static final RedisScript RETRIEVE = new RedisScript(REQUIRE_SESSION + RANGE_FUNCTION + """
            return range(KEYS[3], KEYS[4], ARGV[8], ARGV[9])
            """);
}

