package chat.redis;

import chat.store.RateCharge;
import chat.config.RedisAddress;
import chat.error.ChatError;
import chat.error.ChatException;
import chat.store.Message;
import chat.testing.LocalRedis;
import chat.testing.MutableClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the black-box suites cannot reach: two stores on one Redis play two replicas, and one of them holds an
 * out-of-date belief about a session. (The protocol as a whole runs against Redis in interop-tests.)
 */
@Timeout(30)
class RedisStoreTest {
    private static LocalRedis redis;
    private final MutableClock clock = new MutableClock();

    @BeforeAll
    static void startRedis() throws Exception {
        redis = LocalRedis.start();
    }

    @AfterAll
    static void stopRedis() throws Exception {
        redis.close();
    }

    private RedisStore store() {
        return new RedisStore(new RedisConnections(RedisAddress.parse(redis.url()), Duration.ofSeconds(1), 2), clock,
                Duration.ofMinutes(30), 100);
    }

    private static String text(Message message) {
        return new String(message.stored(), StandardCharsets.UTF_8);
    }

    @Test
    void aPostIsEncodedForTheSessionsCurrentUserEvenWhenAReplicaRememberedAnother() {
        try (RedisStore replicaA = store(); RedisStore replicaB = store()) {
            long key = 1_000_001;
            assertTrue(replicaA.openSession(key, "alice"));
            assertTrue(replicaA.createChannel(key, RateCharge.EXEMPT, "stale", Long.MAX_VALUE));
            assertEquals("alice|one", text(replicaA.post(key, RateCharge.EXEMPT, "stale", user -> (user + "|one").getBytes(StandardCharsets.UTF_8))));

            // Alice's session ends through B, and (however unlikely) the same key is given to Bob there.
            assertTrue(replicaB.closeSession(key));
            assertTrue(replicaB.openSession(key, "bob"));

            Message posted = replicaA.post(key, RateCharge.EXEMPT, "stale", user -> (user + "|two").getBytes(StandardCharsets.UTF_8));
            assertEquals("bob|two", text(posted));
            assertEquals(List.of("alice|one", "bob|two"),
                    replicaB.unchecked().range("stale", 1, 2).stream().map(RedisStoreTest::text).toList());
        }
    }

    @Test
    void aSessionEndedThroughOneReplicaIsInvalidOnTheOtherAtOnce() {
        try (RedisStore replicaA = store(); RedisStore replicaB = store()) {
            long key = 1_000_002;
            assertTrue(replicaA.openSession(key, "carol"));
            assertTrue(replicaA.createChannel(key, RateCharge.EXEMPT, "ended", Long.MAX_VALUE));
            replicaA.post(key, RateCharge.EXEMPT, "ended", user -> user.getBytes(StandardCharsets.UTF_8));

            assertTrue(replicaB.closeSession(key));

            ChatException refused = assertThrows(ChatException.class,
                    () -> replicaA.post(key, RateCharge.EXEMPT, "ended", user -> user.getBytes(StandardCharsets.UTF_8)));
            assertEquals(ChatError.INVALID_SESSION, refused.error());
            assertEquals(ChatError.INVALID_SESSION,
                    assertThrows(ChatException.class, () -> replicaA.range(key, RateCharge.EXEMPT, "ended", 1, 10)).error());
            assertFalse(replicaA.unchecked().renewSession(key));
        }
    }

    @Test
    void callsNameTheChannelTheyDidNotFindAndTheChannelLimit() {
        try (RedisStore store = store()) {
            long key = 1_000_003;
            assertTrue(store.openSession(key, "dave"));
            ChatException missing = assertThrows(ChatException.class, () -> store.lastMessageId(key, RateCharge.EXEMPT, "nowhere"));
            assertEquals(ChatError.CHANNEL_NOT_FOUND, missing.error());
            assertTrue(missing.reason().contains("\"nowhere\""), missing.reason());

            long limit = store.channelNames(key, RateCharge.EXEMPT).size() + 1;
            assertTrue(store.createChannel(key, RateCharge.EXEMPT, "one-more", limit));
            ChatException full = assertThrows(ChatException.class, () -> store.createChannel(key, RateCharge.EXEMPT, "too-many", limit));
            assertEquals(ChatError.LIMIT_REACHED, full.error());
            assertTrue(full.reason().contains(Long.toString(limit)), full.reason());
        }
    }
}
