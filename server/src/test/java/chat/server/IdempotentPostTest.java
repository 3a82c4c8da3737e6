package chat.server;

import chat.config.Config;
import chat.config.Settings;
import chat.testing.LocalRedis;
import chat.testing.TestServer;
import chat.testing.TestSocket;
import com.google.gson.Gson;
import com.google.gson.JsonObject;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.Jedis;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static chat.testing.TestSocket.body;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Posts that can be retried safely (spec post/5-7): a repeat with the same Idempotency-Key is answered as the first
 * post was and stores nothing, over HTTP and WebSocket, in memory and on Redis across two replicas.
 */
@Timeout(60)
class IdempotentPostTest {
    private static final MediaType JSON = MediaType.get("application/json");
    private static LocalRedis redis;
    private final OkHttpClient http = new OkHttpClient();

    @BeforeAll
    static void startRedis() throws Exception {
        redis = LocalRedis.start();
    }

    @AfterAll
    static void stopRedis() throws Exception {
        redis.close();
    }

    private static Config onRedis() {
        return store("redis").build();
    }

    private static Config.Builder store(String which) {
        return which.equals("redis") ? TestServer.config().with(Settings.STORE, redis.url()) : TestServer.config();
    }

    /** POST /post with this Idempotency-Key header value. */
    private static TestServer.Reply keyedPost(TestServer chat, String header, long key, String channel, String text) {
        String body = new Gson().toJson(Map.of("sesskey", key, "channel", channel, "message", text));
        return chat.send(new Request.Builder().url(chat.url("/post")).header("Idempotency-Key", header)
                .post(RequestBody.create(body, JSON)).build());
    }

    private static long last(TestServer chat, long key, String channel) {
        return chat.post("lastmessage", Map.of("sesskey", key, "channel", channel)).success().getAsLong();
    }

    private TestSocket connect(TestServer chat, long key) throws Exception {
        TestSocket socket = new TestSocket(http, chat.server.url().replace("http", "ws") + "/ws", Long.toString(key));
        assertTrue(socket.awaitOpen());
        return socket;
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "redis"})
    void aRepeatIsAnsweredAsTheFirstPostWasAndStoresNothing(String store) {
        try (TestServer chat = TestServer.start(store(store).build())) {
            long key = chat.newSession();
            String channel = chat.newChannel(key);
            TestServer.Reply first = keyedPost(chat, "k-1", key, channel, "once");
            TestServer.Reply repeat = keyedPost(chat, "k-1", key, channel, "once");
            TestServer.Reply quoted = keyedPost(chat, "\"k-1\"", key, channel, "once"); // the draft's sf-string form
            assertEquals(first.toString(), repeat.toString());
            assertEquals(first.toString(), quoted.toString());
            assertEquals("200 {\"status\":true,\"data\":true}", first.toString());
            assertEquals(1, last(chat, key, channel));
            keyedPost(chat, "k-2", key, channel, "once").success(); // another key: another post, same text
            assertEquals(2, last(chat, key, channel));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "redis"})
    void aKeyReusedForAnotherMessageOrChannelIsRefusedAndPostsNothing(String store) {
        try (TestServer chat = TestServer.start(store(store).build())) {
            long key = chat.newSession();
            String channel = chat.newChannel(key);
            String other = chat.newChannel(key);
            keyedPost(chat, "reused", key, channel, "first").success();
            TestServer.Reply otherMessage = keyedPost(chat, "reused", key, channel, "second");
            TestServer.Reply otherChannel = keyedPost(chat, "reused", key, other, "first");
            for (TestServer.Reply refused : List.of(otherMessage, otherChannel)) {
                assertEquals(200, refused.httpStatus(), refused.toString());
                assertEquals("IDEMPOTENCY_KEY_REUSED", refused.error(), refused.toString());
                assertTrue(refused.data().getAsString().contains("\"reused\""), refused.toString());
            }
            assertEquals(1, last(chat, key, channel));
            assertEquals(0, last(chat, key, other));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "redis"})
    void keysAreEachUsersOwnAndNotTheSessions(String store) {
        try (TestServer chat = TestServer.start(store(store).build())) {
            String alice = TestServer.unique("alice");
            long a1 = chat.logon(alice, "pw");
            long a2 = chat.logon(alice, "pw");
            long bob = chat.newSession();
            String channel = chat.newChannel(a1);
            keyedPost(chat, "shared", a1, channel, "hi").success();
            keyedPost(chat, "shared", bob, channel, "hi").success(); // bob's own key: posts
            keyedPost(chat, "shared", a2, channel, "hi").success(); // alice again, another session: a repeat
            assertEquals(2, last(chat, a1, channel));
        }
    }

    @Test
    void aBadKeyIsRefusedAsAnInvalidFieldBeforeTheSession() {
        try (TestServer chat = TestServer.start()) {
            long key = chat.newSession();
            String channel = chat.newChannel(key);
            for (String bad : List.of("", "has space", "x".repeat(65), "back\\slash", "caf\u00e9")) {
                String body = new Gson().toJson(Map.of("sesskey", key, "channel", channel, "message", "m",
                        "idempotencykey", bad));
                TestServer.Reply refused = chat.post("post", body);
                assertEquals("FIELD_INVALID", refused.error(), bad + ": " + refused);
            }
            TestServer.Reply wrongType = chat.post("post", "{\"sesskey\": " + key + ", \"channel\": \"" + channel
                    + "\", \"message\": \"m\", \"idempotencykey\": 7}");
            assertEquals("FIELD_WRONG_TYPE", wrongType.error(), wrongType.toString());
            TestServer.Reply deadSession = keyedPost(chat, "", 12345, channel, "m");
            assertEquals("FIELD_INVALID", deadSession.error(), deadSession.toString());
            String body = new Gson().toJson(Map.of("sesskey", key, "channel", channel, "message", "m",
                    "idempotencykey", "a"));
            TestServer.Reply twoKeys = chat.send(new Request.Builder().url(chat.url("/post"))
                    .header("Idempotency-Key", "b").post(RequestBody.create(body, JSON)).build());
            assertEquals("FIELD_INVALID", twoKeys.error(), twoKeys.toString());
            keyedPost(chat, "x".repeat(64), key, channel, "longest").success();
            assertEquals(1, last(chat, key, channel));
        }
    }

    /** Over the WebSocket the key is the post's "idempotencykey" field; a subscriber sees the message once. */
    @ParameterizedTest
    @ValueSource(strings = {"memory", "redis"})
    void aRepeatOverTheSocketIsAnsweredAsTheFirstAndAnnouncedOnce(String store) throws Exception {
        try (TestServer chat = TestServer.start(store(store).build())) {
            long key = chat.newSession();
            String channel = chat.newChannel(key);
            try (TestSocket socket = connect(chat, key); TestSocket reader = connect(chat, chat.newSession())) {
                reader.subscribe(channel, 0);
                JsonObject post = body("channel", channel, "message", "over the socket", "idempotencykey", "ws-1");
                JsonObject first = socket.call("post", post);
                JsonObject repeat = socket.call("post", post);
                first.remove("id");
                repeat.remove("id");
                assertEquals(first, repeat);
                assertEquals("{\"status\":true,\"data\":true}", first.toString());
                keyedPost(chat, "ws-1", key, channel, "over the socket").success(); // over HTTP: the same key
                chat.postMessage(key, channel, "after"); // had the repeats posted, they would come before this
                assertEquals("over the socket", reader.nextMessage(channel, 1));
                assertEquals("after", reader.nextMessage(channel, 2));
            }
        }
    }

    /** Of racing repeats exactly one posts: the key is kept in the step that appends. */
    @ParameterizedTest
    @ValueSource(strings = {"memory", "redis"})
    void twentyRacingRepeatsPostOnceAndAreAllAnsweredAlike(String store) throws Exception {
        try (TestServer chat = TestServer.start(store(store).build())) {
            long key = chat.newSession();
            String channel = chat.newChannel(key);
            chat.postMessage(key, channel, "before");
            int racers = 20;
            ExecutorService pool = Executors.newFixedThreadPool(racers);
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<TestServer.Reply>> replies = new ArrayList<>();
                for (int i = 0; i < racers; i++) {
                    replies.add(pool.submit(() -> {
                        start.await();
                        return keyedPost(chat, "race", key, channel, "raced");
                    }));
                }
                start.countDown();
                for (Future<TestServer.Reply> reply : replies) {
                    assertEquals("200 {\"status\":true,\"data\":true}", reply.get().toString());
                }
            } finally {
                pool.shutdownNow();
            }
            assertEquals(2, last(chat, key, channel));
            assertEquals(1, chat.post("retrieve", Map.of("sesskey", key, "channel", channel, "first", 2, "last", 9))
                    .success().getAsJsonArray().size());
        }
    }

    @Test
    void aPostWithItsKeyOnOneReplicaIsRepeatedOnTheOtherWithoutPostingAgain() throws Exception {
        try (TestServer a = TestServer.start(onRedis()); TestServer b = TestServer.start(onRedis())) {
            long key = a.newSession();
            String channel = a.newChannel(key);
            try (TestSocket reader = connect(b, b.newSession())) {
                reader.subscribe(channel, 0);
                TestServer.Reply onA = keyedPost(a, "replicated", key, channel, "stored once");
                TestServer.Reply onB = keyedPost(b, "replicated", key, channel, "stored once");
                assertEquals(onA.toString(), onB.toString());
                assertEquals("IDEMPOTENCY_KEY_REUSED", keyedPost(b, "replicated", key, channel, "other").error());
                b.postMessage(key, channel, "next");
                assertEquals("stored once", reader.nextMessage(channel, 1));
                assertEquals("next", reader.nextMessage(channel, 2));
            }
        }
    }

    /** Past --idempotency-keys a user's oldest key is forgotten: a repeat of it posts again, of the newest does not. */
    @ParameterizedTest
    @ValueSource(strings = {"memory", "redis"})
    void pastTheBoundTheUsersOldestKeyIsForgotten(String store) {
        Config config = store(store).with(Settings.IDEMPOTENCY_KEYS, 2).build();
        try (TestServer chat = TestServer.start(config)) {
            long key = chat.newSession();
            String channel = chat.newChannel(key);
            keyedPost(chat, "k1", key, channel, "one").success();
            keyedPost(chat, "k2", key, channel, "two").success();
            keyedPost(chat, "k3", key, channel, "three").success();
            keyedPost(chat, "k3", key, channel, "three").success();
            keyedPost(chat, "k2", key, channel, "two").success();
            assertEquals(3, last(chat, key, channel));
            keyedPost(chat, "k1", key, channel, "one").success(); // forgotten: posts again
            assertEquals(4, last(chat, key, channel));
        }
    }

    /**
     * The hot path: a post without a key runs the same one script as before, and keeps nothing. Counted in Redis's
     * own statistics: one EVALSHA per post and no key of the idempotency layout.
     */
    @Test
    void aPostWithoutAKeyCostsOneScriptAndKeepsNoKey() {
        try (TestServer chat = TestServer.start(onRedis());
             Jedis jedis = new Jedis(URI.create(redis.url()))) {
            String user = TestServer.unique("plain");
            long key = chat.logon(user, "pw");
            String channel = chat.newChannel(key);
            chat.postMessage(key, channel, "warm"); // the replica learns the session's user once
            jedis.configResetStat();
            chat.postMessage(key, channel, "plain");
            String stats = jedis.info("commandstats");
            assertTrue(stats.contains("cmdstat_evalsha:calls=1,"), stats);
            assertTrue(!stats.contains("cmdstat_hget") && !stats.contains("cmdstat_hset"), stats);
            assertEquals(0, jedis.keys("chat:posted:{" + user + "}:*").size());
        }
    }
}
