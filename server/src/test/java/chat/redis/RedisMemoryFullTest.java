package chat.redis;

import chat.store.IdempotencyLimits;
import chat.store.Posted;
import chat.store.RateCharge;
import chat.config.Config;
import chat.config.RedisAddress;
import chat.limit.RateLimits;
import chat.error.ChatError;
import chat.error.ChatException;
import chat.testing.LocalRedis;
import chat.testing.MutableClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Jedis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A Redis at its maxmemory with noeviction refuses writes ("OOM command not allowed ..."): a post, a create or a
 * new user is then LIMIT_REACHED with a reason that says the store's memory is full, not a 500, and every call that
 * writes nothing new (reads, the sessions' renewal, logoff) goes on, its rate-limit tokens taken as ever (they are
 * kept in the session's own key, which the renewal rewrites). Its own redis-server, as it changes the config.
 */
@Timeout(30)
class RedisMemoryFullTest {
    private static final Function<String, byte[]> TEXT = user -> (user + ": hello").getBytes(StandardCharsets.UTF_8);
    private static LocalRedis redis;

    @BeforeAll
    static void startRedis() throws Exception {
        redis = LocalRedis.start();
    }

    @AfterAll
    static void stopRedis() throws Exception {
        redis.close();
    }

    private static void setMaxMemory(String bytes) {
        RedisAddress address = RedisAddress.parse(redis.url());
        try (Jedis admin = new Jedis(address.host(), address.port())) {
            admin.configSet("maxmemory-policy", "noeviction");
            admin.configSet("maxmemory", bytes);
        }
    }

    @Test
    void writesAreRefusedAsTheStoresMemoryFullAndReadsGoOn() {
        try (RedisStore store = new RedisStore(new RedisConnections(RedisAddress.parse(redis.url()),
                Duration.ofSeconds(1), 2), new MutableClock(), Duration.ofMinutes(30), 100,
                RateLimits.from(Config.defaults().build()), IdempotencyLimits.DEFAULT)) {
            long key = 2_000_001;
            assertTrue(store.addUser("erin", "hash"));
            assertTrue(store.openSession(key, "erin"));
            assertTrue(store.createChannel(key, RateCharge.CHARGED, "kept", Long.MAX_VALUE));
            store.post(key, RateCharge.CHARGED, "kept", TEXT);
            assertEquals(2, store.postOnce(key, RateCharge.CHARGED, "kept", "retried", TEXT).id());

            setMaxMemory("1"); // less than Redis itself uses: full from now on
            try {
                for (ChatException refused : List.of(
                        assertThrows(ChatException.class, () -> store.post(key, RateCharge.CHARGED, "kept", TEXT)),
                        assertThrows(ChatException.class, () -> store.createChannel(key, RateCharge.CHARGED, "new", Long.MAX_VALUE)),
                        assertThrows(ChatException.class, () -> store.addUser("frank", "hash")))) {
                    assertEquals(ChatError.LIMIT_REACHED, refused.error(), refused.reason());
                    assertTrue(refused.reason().contains("store's memory is full"), refused.reason());
                }
                // A retry of the keyed post is told it was posted, as the first answer said: full or not.
                assertEquals(new Posted(2, null), store.postOnce(key, RateCharge.CHARGED, "kept", "retried", TEXT));
                assertEquals(ChatError.IDEMPOTENCY_KEY_REUSED, assertThrows(ChatException.class,
                        () -> store.postOnce(key, RateCharge.CHARGED, "kept", "retried", user -> new byte[1])).error());
                assertEquals(ChatError.LIMIT_REACHED, assertThrows(ChatException.class,
                        () -> store.postOnce(key, RateCharge.CHARGED, "kept", "new", TEXT)).error());
                assertEquals(2, store.lastMessageId(key, RateCharge.CHARGED, "kept"), "the refused posts left nothing behind");
                assertEquals("erin: hello", new String(store.range(key, RateCharge.CHARGED, "kept", 1, 10).get(0).stored(),
                        StandardCharsets.UTF_8));
                assertEquals(List.of("kept"), store.channelNames(key, RateCharge.CHARGED));
                assertEquals("erin", store.touchSession(key));
                // What a subscribe reads: the channel's epoch, kept since create, is read without writing.
                String epoch = store.unchecked().epoch("kept");
                assertEquals(epoch, store.unchecked().epoch("kept"));
                assertEquals(2, store.unchecked().lastMessageId("kept"));
                assertEquals("hash", store.passwordHash("erin"));
            } finally {
                setMaxMemory("0");
            }
            assertEquals(3, store.post(key, RateCharge.CHARGED, "kept", TEXT).id(), "with room again, posts go on");
            assertTrue(store.closeSession(key));
        }
    }
}
