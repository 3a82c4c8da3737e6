package chat.server;

import chat.config.Rate;
import chat.config.Settings;
import chat.testing.LocalRedis;
import chat.testing.RawConnection;
import chat.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Jedis;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With the store in Redis, two replicas of the server share each limit: a brute force or a flood spread over both
 * is refused at the count one replica alone refuses it. Real Redis, real servers, real HTTP.
 */
@Timeout(60)
class RedisRateLimitsTest {
    private static LocalRedis redis;

    @BeforeAll
    static void startRedis() throws Exception {
        redis = LocalRedis.start();
    }

    @AfterAll
    static void stopRedis() throws Exception {
        redis.close();
    }

    private static TestServer replica(Rate failedLogons, Rate calls) {
        return TestServer.start(TestServer.config().with(Settings.STORE, redis.url())
                .with(Settings.CLIENT_LIMIT_EXEMPT, "")
                .with(Settings.RATE_FAILED_LOGONS, failedLogons).with(Settings.RATE_CALLS, calls).build());
    }

    @Test
    void aBruteForceSpreadOverTwoReplicasIsThrottledAtTheCountOfOne() {
        try (TestServer a = replica(new Rate(6, Duration.ofMinutes(1)), Rate.OFF);
             TestServer b = replica(new Rate(6, Duration.ofMinutes(1)), Rate.OFF)) {
            String alice = TestServer.unique("alice");
            a.logon(alice, "right");
            for (int i = 0; i < 6; i++) {
                TestServer.Reply reply = (i % 2 == 0 ? a : b).post("logon", Map.of("username", alice, "password", "x"));
                assertEquals("WRONG_PASSWORD", reply.error(), "guess " + (i + 1) + ": " + reply);
            }
            for (TestServer replica : new TestServer[] {a, b}) {
                TestServer.Reply refused = replica.post("logon", Map.of("username", alice, "password", "x"));
                assertEquals(429, refused.httpStatus(), refused.toString());
                assertEquals("RATE_LIMITED", refused.error());
                assertTrue(refused.data().getAsString().contains("too many wrong passwords for " + alice), refused.toString());
            }
            try (RawConnection owner = new RawConnection("127.0.0.2", b.server.port())) {
                RawConnection.Answer answer = owner.post("/logon",
                        "{\"username\":\"" + alice + "\",\"password\":\"right\"}");
                assertTrue(answer.json().get("status").getAsBoolean(), "from another address: " + answer);
            }
            long ttl = pttl("chat:rate:failed-logons:127.0.0.1|" + alice);
            assertTrue(ttl > 0 && ttl <= Duration.ofMinutes(6).toMillis(), "the bucket expires once full: " + ttl);
        }
    }

    @Test
    void aSessionsCallsCountTogetherOnBothReplicasInTheCallsOwnScript() {
        try (TestServer a = replica(Rate.OFF, new Rate(4, Duration.ofMinutes(1)));
             TestServer b = replica(Rate.OFF, new Rate(4, Duration.ofMinutes(1)))) {
            long key = a.newSession();
            for (int i = 0; i < 4; i++) {
                (i % 2 == 0 ? a : b).post("list", Map.of("sesskey", key)).success();
            }
            TestServer.Reply refused = b.post("list", Map.of("sesskey", key));
            assertEquals(429, refused.httpStatus(), refused.toString());
            assertEquals("RATE_LIMITED", refused.error());
            assertEquals(429, a.post("list", Map.of("sesskey", key)).httpStatus());
            a.post("list", Map.of("sesskey", b.newSession())).success(); // another session's bucket is full
            assertEquals(-2, pttl("chat:rate:calls:" + key), "a session's buckets are kept in the session's own key");
        }
    }

    @Test
    void postsAreLimitedInThePostScriptToo() {
        try (TestServer a = TestServer.start(TestServer.config().with(Settings.STORE, redis.url())
                .with(Settings.CLIENT_LIMIT_EXEMPT, "").with(Settings.RATE_POSTS, new Rate(2, Duration.ofMinutes(1)))
                .build())) {
            long key = a.newSession();
            String channel = a.newChannel(key);
            a.postMessage(key, channel, "one");
            a.postMessage(key, channel, "two");
            TestServer.Reply refused = a.post("post", Map.of("sesskey", key, "channel", channel, "message", "three"));
            assertEquals(429, refused.httpStatus(), refused.toString());
            assertTrue(refused.data().getAsString().contains("posted too fast"), refused.toString());
            assertEquals(2, a.post("lastmessage", Map.of("sesskey", key, "channel", channel)).success().getAsLong(),
                    "the refused post stored nothing");
        }
    }

    /** How long until the key expires, in ms (negative: no such key, or no expiry). */
    private static long pttl(String key) {
        URI url = URI.create(redis.url());
        try (Jedis jedis = new Jedis(url.getHost(), url.getPort())) {
            return jedis.pttl(key);
        }
    }
}
