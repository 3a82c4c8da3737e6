package chat.redis;

import chat.config.RedisAddress;
import chat.error.ChatError;
import chat.error.ChatException;
import chat.metrics.Metrics;
import chat.store.StoreRefusals;
import org.apache.commons.pool2.PooledObject;
import org.apache.commons.pool2.impl.DefaultPooledObject;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.ClientSetInfoConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisFactory;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The connections to one Redis, and what each way of failing means for a call.
 *
 * <p>Each call borrows a connection from a pool and has a deadline: the pool wait, the connect and the answer
 * together stay within the configured store timeout. When Redis does not answer in time, or refuses because it is
 * still loading its data, the call fails with STORE_UNAVAILABLE (HTTP 503); the pool reconnects by itself once
 * Redis is back, so the server heals without a restart. A script's refusal (an error reply named after a
 * ChatError, see {@link RedisScripts}) becomes that error.
 *
 * <p>While Redis is known not to answer, calls fail at once instead of each waiting out the timeout, and one call
 * at a time probes whether it is back. Otherwise a hung Redis would hold every pool thread for the whole timeout,
 * and the calls queued behind them would wait many timeouts long for their 503.
 *
 * <p>A connection that failed is dropped, and so is, before its next use, every other opened before the failure
 * ({@link #replaceConnections()}): a restarted Redis closed them all at its end, and each would fail one call.
 */
public final class RedisConnections implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RedisConnections.class);
    private static final String UNAVAILABLE = "the server's store (Redis) is not answering; try again shortly";
    /** Error replies that mean "not now" rather than "wrong": Redis loading its data, busy with a script, and so on. */
    private static final List<String> TRANSIENT_ERRORS = List.of("LOADING", "BUSY", "MISCONF", "READONLY",
            "MASTERDOWN", "TRYAGAIN", "CLUSTERDOWN", "NOREPLICAS");
    /** The scripts' refusals, named after their ChatError. */
    private static final List<ChatError> REFUSALS = List.of(ChatError.INVALID_SESSION, ChatError.CHANNEL_NOT_FOUND,
            ChatError.LIMIT_REACHED);

    private final RedisAddress address;
    private final JedisClientConfig clientConfig;
    private final JedisPool pool;
    private final StampedConnections factory;
    private volatile boolean answering = true;
    private final AtomicBoolean probing = new AtomicBoolean(); // while not answering: one call at a time tries
    private final RedisMeters meters;

    /** Without metrics (the store's own tests). */
    public RedisConnections(RedisAddress address, Duration timeout, int connections) {
        this(address, timeout, connections, Metrics.OFF);
    }

    /**
     * @param timeout     the longest a call may take, pool wait and connect included
     * @param connections the most connections open at once (calls beyond wait for one)
     * @param metrics     what Redis's health is counted in (RedisMeters)
     */
    public RedisConnections(RedisAddress address, Duration timeout, int connections, Metrics metrics) {
        this.address = address;
        this.meters = new RedisMeters(metrics);
        metrics.gauge("chat_redis_up", "1 while Redis answered the last call, 0 since one found it not answering",
                () -> answering ? 1 : 0);
        int quarter = (int) Math.max(1, timeout.toMillis() / 4);
        this.clientConfig = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(quarter)
                .socketTimeoutMillis(2 * quarter)
                .database(address.database())
                .user(address.user())
                .password(address.password())
                .clientName("chat-server")
                .clientSetInfoConfig(ClientSetInfoConfig.DISABLED) // one round trip less per connect; Redis 7.0 lacks it
                .build();
        GenericObjectPoolConfig<Jedis> poolConfig = new GenericObjectPoolConfig<>();
        poolConfig.setMaxTotal(connections);
        poolConfig.setMaxIdle(connections);
        poolConfig.setMaxWait(Duration.ofMillis(quarter));
        poolConfig.setJmxEnabled(false);
        poolConfig.setTestOnBorrow(true); // a stamp compared, no round trip: see StampedConnections
        this.factory = new StampedConnections(new HostAndPort(address.host(), address.port()), clientConfig);
        this.pool = new JedisPool(poolConfig, factory);
    }

    RedisMeters meters() {
        return meters;
    }

    RedisAddress address() {
        return address;
    }

    /** How to connect, for a connection of one's own (the pub/sub listener). */
    JedisClientConfig clientConfig() {
        return clientConfig;
    }

    /**
     * Runs one piece of work on a pooled connection. "Redis is not answering" becomes STORE_UNAVAILABLE, for the
     * client to retry; a script's refusal its ChatError; any other failure is a bug here and propagates as itself
     * (500 INTERNAL_ERROR).
     */
    <T> T call(Function<Jedis, T> work) {
        if (answering) {
            return attempt(work);
        }
        if (!probing.compareAndSet(false, true)) {
            throw ChatError.STORE_UNAVAILABLE.exception(UNAVAILABLE);
        }
        try {
            return attempt(work);
        } finally {
            probing.set(false);
        }
    }

    private <T> T attempt(Function<Jedis, T> work) {
        T result;
        long start = System.nanoTime(); // a round trip costs ~100 us: the clock's ~25 ns do not show
        try (Jedis jedis = pool.getResource()) {
            result = work.apply(jedis);
        } catch (JedisDataException e) { // an error reply: a script's refusal, or Redis's own
            ChatError refusal = refusal(e);
            if (refusal != null) {
                throw refusal.exception();
            }
            if (isOutOfMemory(e)) {
                throw StoreRefusals.storeMemoryFull();
            }
            if (isTransient(e) || e instanceof JedisAccessControlException) {
                throw unavailable(e);
            }
            throw e;
        } catch (JedisConnectionException e) { // no connection, or no answer in time
            replaceConnections(); // the others may be as dead as this one (a Redis restarted, or hung)
            throw unavailable(e);
        } catch (JedisException e) { // no free connection in time: they are busy, not broken
            throw unavailable(e);
        } finally {
            meters.callSeconds.observe((System.nanoTime() - start) * 1e-9);
        }
        if (!answering) {
            answering = true;
            log.info("Redis at {} answers again", address);
        }
        return result;
    }

    /**
     * Has every pooled connection opened until now replaced, unused, when it is next borrowed: after a connection
     * failed, and when the events connection dropped (which a Redis restart does at once, before any call fails).
     * A connection lost with a restart failed one call each before, so a replica with 8 failed 8 calls after Redis
     * was back (RedisRecoveryTest); when nothing was wrong with them, each costs one reconnect.
     */
    void replaceConnections() {
        factory.nextGeneration();
    }

    private ChatException unavailable(RuntimeException cause) {
        meters.failures.inc();
        if (answering) {
            answering = false;
            log.warn("Redis at {} is not answering ({}); calls fail with 503 STORE_UNAVAILABLE until it is back",
                    address, cause.getMessage());
        }
        return ChatError.STORE_UNAVAILABLE.exception(UNAVAILABLE);
    }

    private static ChatError refusal(JedisDataException e) {
        String code = scriptError(e);
        for (ChatError error : REFUSALS) {
            if (error.name().equals(code)) {
                return error;
            }
        }
        return null;
    }

    /** The code a script's redis.error_reply gave; Redis puts "ERR " before it. */
    static String scriptError(JedisDataException e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        return message.startsWith("ERR ") ? message.substring(4) : message;
    }

    /**
     * Redis at its maxmemory refusing a write, "OOM command not allowed when used memory > 'maxmemory'": a bound
     * reached, not an outage (Redis answers, and reads go on), so LIMIT_REACHED rather than STORE_UNAVAILABLE.
     */
    private static boolean isOutOfMemory(JedisDataException e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        return message.startsWith("OOM ");
    }

    private static boolean isTransient(JedisDataException e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        return TRANSIENT_ERRORS.stream().anyMatch(message::startsWith);
    }

    @Override
    public void close() {
        pool.close();
    }

    /**
     * Opens the pool's connections, each stamped with the generation it was opened in, and, asked by the pool as
     * each is borrowed (testOnBorrow), refuses one of an earlier generation, which the pool then closes and
     * replaces. The check is a volatile read: validating by PING, the pool's usual way, would add a round trip to
     * every call, healthy or not; turning PING on only while recovering would leave the question of when to turn
     * it off, which the stamp answers exactly (when no connection of an earlier generation is left).
     */
    private static final class StampedConnections extends JedisFactory {
        private final AtomicLong generation = new AtomicLong();

        StampedConnections(HostAndPort server, JedisClientConfig config) {
            super(server, config);
        }

        @Override
        public PooledObject<Jedis> makeObject() throws Exception {
            long stamp = generation.get(); // read before connecting: one opened across a failure is replaced too
            return new Stamped(super.makeObject().getObject(), stamp);
        }

        @Override
        public boolean validateObject(PooledObject<Jedis> connection) {
            return ((Stamped) connection).generation == generation.get();
        }

        void nextGeneration() {
            generation.incrementAndGet();
        }
    }

    private static final class Stamped extends DefaultPooledObject<Jedis> {
        final long generation;

        Stamped(Jedis jedis, long generation) {
            super(jedis);
            this.generation = generation;
        }
    }
}
