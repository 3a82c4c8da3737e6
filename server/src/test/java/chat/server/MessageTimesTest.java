package chat.server;

import chat.config.Config;
import chat.config.Settings;
import chat.testing.LocalRedis;
import chat.testing.TestServer;
import chat.testing.TestSocket;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Jedis;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Messages carry the time the store accepted them (spec retrieve/9, ws/4): the same in retrieve and in push, in
 * memory and on Redis, where every replica gives the one time Redis's clock gave.
 */
@Timeout(60)
class MessageTimesTest {
    private final OkHttpClient http = new OkHttpClient();

    @Test
    void inMemoryRetrieveAndPushGiveEachMessageItsTimeAndTimesFollowIds() throws Exception {
        try (TestServer chat = TestServer.start()) {
            assertTimesAgree(chat, chat);
        }
    }

    @Test
    void onRedisEveryReplicaGivesTheTimeRedisGaveInRetrieveAndPush() throws Exception {
        try (LocalRedis redis = LocalRedis.start();
             TestServer replicaA = TestServer.start(onRedis(redis));
             TestServer replicaB = TestServer.start(onRedis(redis));
             Jedis jedis = new Jedis("127.0.0.1", redis.port())) {
            long before = redisMillis(jedis);
            List<JsonObject> posted = assertTimesAgree(replicaA, replicaB);
            long after = redisMillis(jedis);
            for (JsonObject message : posted) {
                long time = message.get("time").getAsLong();
                assertTrue(before <= time && time <= after, "Redis's clock, " + before + " to " + after + ": " + message);
            }
        }
    }

    @Test
    void onRedisMessagesKeptFromBeforeTimesComeWithoutOneAndTheNewOnesWithIt() throws Exception {
        try (LocalRedis redis = LocalRedis.start();
             TestServer chat = TestServer.start(onRedis(redis));
             Jedis jedis = new Jedis("127.0.0.1", redis.port())) {
            long key = chat.newSession();
            String channel = chat.newChannel(key);
            appendAsAnOldReplicaWould(jedis, channel, "old 1");
            appendAsAnOldReplicaWould(jedis, channel, "old 2");
            chat.postMessage(key, channel, "new");

            JsonArray messages = retrieve(chat, key, channel, 1, 3);
            assertEquals(3, messages.size(), messages.toString());
            assertEquals("old 1", messages.get(0).getAsJsonObject().get("message").getAsString());
            assertFalse(messages.get(0).getAsJsonObject().has("time"), messages.toString());
            assertFalse(messages.get(1).getAsJsonObject().has("time"), messages.toString());
            assertTrue(messages.get(2).getAsJsonObject().get("time").getAsJsonPrimitive().isNumber(), messages.toString());
            assertEquals("new", messages.get(2).getAsJsonObject().get("message").getAsString());
        }
    }

    /**
     * In a rolling upgrade both kinds of replica share one Redis. An old one's post is pushed and retrieved without a
     * time; what a new one keeps, an old one serves as it is after {@code {"messageid":N,}: valid JSON, time included
     * (for text rich in control characters too, kept in the compact form).
     */
    @Test
    void onRedisOldAndNewReplicasReadEachOthersMessagesInARollingUpgrade() throws Exception {
        try (LocalRedis redis = LocalRedis.start();
             TestServer chat = TestServer.start(onRedis(redis));
             Jedis jedis = new Jedis("127.0.0.1", redis.port())) {
            long key = chat.newSession();
            String channel = chat.newChannel(key);
            String controls = "\u0001\u0002".repeat(60) + "end";
            chat.postMessage(key, channel, "timed 1");
            chat.postMessage(key, channel, controls);
            try (TestSocket socket = new TestSocket(http, chat.server.url().replace("http", "ws") + "/ws",
                    Long.toString(key))) {
                assertTrue(socket.awaitOpen());
                socket.subscribe(channel, 2);
                long id = appendAsAnOldReplicaWould(jedis, channel, "from an old replica");
                String fields = "\"username\":\"old\",\"message\":\"from an old replica\"}";
                jedis.publish("chat:events", "m" + id + " " + channel.length() + " " + channel + fields);
                JsonObject pushed = socket.next();
                assertEquals("from an old replica", pushed.getAsJsonObject("data").get("message").getAsString(),
                        pushed.toString());
                assertFalse(pushed.getAsJsonObject("data").has("time"), pushed.toString());
            }
            JsonArray retrieved = retrieve(chat, key, channel, 1, 3);
            assertEquals(controls, retrieved.get(1).getAsJsonObject().get("message").getAsString());
            assertFalse(retrieved.get(2).getAsJsonObject().has("time"), retrieved.toString());

            // What an old replica answers: the kept bytes after the id (escaping the compact form's controls).
            List<byte[]> kept = jedis.lrange(("chat:channel:{" + channel + "}:messages").getBytes(StandardCharsets.UTF_8), 0, 1);
            for (int i = 0; i < 2; i++) {
                JsonObject asOld = JsonParser.parseString("{\"messageid\":" + (i + 1) + "," + asAnOldReplicaServes(kept.get(i)))
                        .getAsJsonObject();
                assertEquals(retrieved.get(i), asOld, "an old replica's answer, time included");
            }
        }
    }

    /** The old post script's work: the next id and the fields as they are, with no time. */
    private static long appendAsAnOldReplicaWould(Jedis jedis, String channel, String text) {
        long id = jedis.incr("chat:channel:{" + channel + "}:last");
        jedis.rpush("chat:channel:{" + channel + "}:messages", "\"username\":\"old\",\"message\":\"" + text + "\"}");
        return id;
    }

    /** The old Json.fields: the stored bytes, or after a leading 0 byte those with their control characters escaped. */
    private static String asAnOldReplicaServes(byte[] stored) {
        if (stored[0] != 0) {
            return new String(stored, StandardCharsets.UTF_8);
        }
        StringBuilder out = new StringBuilder();
        for (char c : new String(stored, 1, stored.length - 1, StandardCharsets.UTF_8).toCharArray()) {
            out.append(c < 0x20 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return out.toString();
    }

    private static Config onRedis(LocalRedis redis) {
        return TestServer.config().with(Settings.STORE, redis.url()).build();
    }

    private static long redisMillis(Jedis jedis) {
        List<String> time = jedis.time();
        return Long.parseLong(time.get(0)) * 1000 + Long.parseLong(time.get(1)) / 1000;
    }

    /**
     * Three posts through {@code poster}; a socket on {@code reader} subscribed before them gets each with a time,
     * retrieve through {@code reader} gives the same times, and they never go back as ids go up. Returns the
     * retrieved messages.
     */
    private List<JsonObject> assertTimesAgree(TestServer poster, TestServer reader) throws Exception {
        long key = poster.newSession();
        String channel = poster.newChannel(key);
        long readerKey = reader.newSession();
        try (TestSocket socket = new TestSocket(http, reader.server.url().replace("http", "ws") + "/ws",
                Long.toString(readerKey))) {
            assertTrue(socket.awaitOpen());
            socket.subscribe(channel, 0);
            long wallClockBefore = System.currentTimeMillis();
            for (int i = 1; i <= 3; i++) {
                poster.postMessage(key, channel, "m" + i);
            }
            List<Long> pushed = new ArrayList<>();
            for (int id = 1; id <= 3; id++) {
                JsonObject event = socket.next();
                JsonObject data = event.getAsJsonObject("data");
                assertEquals(id, data.get("messageid").getAsLong(), event.toString());
                assertTrue(data.get("time").getAsJsonPrimitive().isNumber(), "an integer: " + event);
                pushed.add(data.get("time").getAsLong());
            }
            JsonArray retrieved = retrieve(reader, readerKey, channel, 1, 3);
            List<JsonObject> messages = new ArrayList<>();
            retrieved.forEach(message -> messages.add(message.getAsJsonObject()));
            assertEquals(pushed, messages.stream().map(message -> message.get("time").getAsLong()).toList(),
                    "retrieve and push agree: " + retrieved);
            for (int i = 1; i < pushed.size(); i++) {
                assertTrue(pushed.get(i) >= pushed.get(i - 1), "times follow ids: " + pushed);
            }
            // Milliseconds since the epoch, not seconds or a replica's uptime: within a minute of this machine's
            // clock (the loopback replicas and Redis share it).
            assertTrue(Math.abs(pushed.get(0) - wallClockBefore) < 60_000, pushed + " vs " + wallClockBefore);
            return messages;
        }
    }

    private static JsonArray retrieve(TestServer chat, long key, String channel, long first, long last) {
        return chat.post("retrieve", Map.of("sesskey", key, "channel", channel, "first", first, "last", last))
                .success().getAsJsonArray();
    }
}
