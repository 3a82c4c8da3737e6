package chat.server;

import chat.testing.TestServer.Reply;
import chat.testing.TestServer;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every call's success and documented failures, through the real server over HTTP. */
@Timeout(60)
class CallsTest {
    private static TestServer chat;

    @BeforeAll
    static void start() {
        chat = TestServer.start();
    }

    @AfterAll
    static void stop() {
        chat.close();
    }

    private static void assertFailure(String error, Reply reply) {
        assertEquals(200, reply.httpStatus(), reply.toString());
        assertFalse(reply.ok(), reply.toString());
        assertEquals(error, reply.error(), reply.toString());
        assertTrue(reply.data().isJsonPrimitive() && reply.data().getAsJsonPrimitive().isString(), reply.toString());
    }

    private static void assertTrueReply(Reply reply) {
        assertEquals(200, reply.httpStatus(), reply.toString());
        assertTrue(reply.ok(), reply.toString());
        assertTrue(reply.data().getAsBoolean(), reply.toString());
        assertEquals("application/json", reply.contentType());
    }

    @Test
    void logonReturnsAnIntegerKeyBelowTwoToThe53() {
        Reply reply = chat.post("logon", Map.of("username", TestServer.unique("u"), "password", "pw"));
        assertTrue(reply.ok(), reply.toString());
        assertTrue(reply.data().getAsJsonPrimitive().isNumber());
        String literal = reply.data().getAsJsonPrimitive().getAsNumber().toString();
        assertTrue(literal.matches("[1-9][0-9]*"), "an integer literal: " + literal);
        long key = Long.parseLong(literal);
        assertTrue(key >= 1 && key < (1L << 53));
    }

    @Test
    void logonWithTheWrongPasswordFailsAndNeverEchoesIt() {
        String user = TestServer.unique("u");
        chat.logon(user, "right-password");
        Reply reply = chat.post("logon", Map.of("username", user, "password", "wrong-password"));
        assertFailure("WRONG_PASSWORD", reply);
        assertFalse(reply.json().toString().contains("password\""), reply.toString());
        assertFalse(reply.json().toString().contains("wrong-password"), reply.toString());
    }

    @Test
    void twoSessionsOfOneUserLiveAtOnceAndLogoffEndsOnlyOne() {
        String user = TestServer.unique("u");
        long first = chat.logon(user, "pw");
        long second = chat.logon(user, "pw");
        assertNotEquals(first, second);
        assertTrueReply(chat.post("logoff", Map.of("sesskey", first)));
        assertFailure("INVALID_SESSION", chat.post("list", Map.of("sesskey", first)));
        assertFailure("INVALID_SESSION", chat.post("logoff", Map.of("sesskey", first)));
        assertTrue(chat.post("list", Map.of("sesskey", second)).ok());
    }

    @Test
    void anUnknownKeyIsRefusedByEveryCall() {
        long unknown = 123_456_789L;
        assertFailure("INVALID_SESSION", chat.post("logoff", Map.of("sesskey", unknown)));
        assertFailure("INVALID_SESSION", chat.post("list", Map.of("sesskey", unknown)));
        assertFailure("INVALID_SESSION", chat.post("create", Map.of("sesskey", unknown, "channel", "x")));
        assertFailure("INVALID_SESSION", chat.post("post", Map.of("sesskey", unknown, "channel", "x", "message", "m")));
        assertFailure("INVALID_SESSION", chat.post("lastmessage", Map.of("sesskey", unknown, "channel", "x")));
        assertFailure("INVALID_SESSION",
                chat.post("retrieve", Map.of("sesskey", unknown, "channel", "x", "first", 1, "last", 2)));
    }

    @Test
    void createdChannelsAreListedInCreationOrderAndCannotBeCreatedTwice() {
        long key = chat.newSession();
        String b = "b-" + TestServer.unique("c");
        String a = "a-" + TestServer.unique("c");
        assertTrueReply(chat.post("create", Map.of("sesskey", key, "channel", b)));
        assertTrueReply(chat.post("create", Map.of("sesskey", key, "channel", a)));
        assertFailure("CHANNEL_EXISTS", chat.post("create", Map.of("sesskey", key, "channel", a)));
        JsonArray names = chat.post("list", Map.of("sesskey", key)).success().getAsJsonArray();
        List<String> listed = new ArrayList<>();
        names.forEach(name -> listed.add(name.getAsString()));
        assertTrue(listed.indexOf(b) >= 0 && listed.indexOf(b) < listed.indexOf(a), listed.toString());
    }

    @Test
    void postLastmessageAndRetrieveWorkTogether() {
        long key = chat.newSession();
        String channel = chat.newChannel(key);
        assertEquals(0, chat.post("lastmessage", Map.of("sesskey", key, "channel", channel)).success().getAsLong());
        assertTrueReply(chat.post("post", Map.of("sesskey", key, "channel", channel, "message", "hello")));
        assertTrueReply(chat.post("post", Map.of("sesskey", key, "channel", channel, "message", "world")));
        assertEquals(2, chat.post("lastmessage", Map.of("sesskey", key, "channel", channel)).success().getAsLong());
        JsonArray messages = chat.post("retrieve",
                Map.of("sesskey", key, "channel", channel, "first", 1, "last", 2)).success().getAsJsonArray();
        assertEquals(2, messages.size());
        JsonObject first = messages.get(0).getAsJsonObject();
        assertEquals(Set.of("messageid", "username", "message", "time"), first.keySet());
        assertEquals(1, first.get("messageid").getAsLong());
        long time = first.get("time").getAsLong();
        assertTrue(Math.abs(System.currentTimeMillis() - time) < 60_000, "ms since the epoch, now: " + time);
        assertTrue(messages.get(1).getAsJsonObject().get("time").getAsLong() >= time, "times follow ids");
        assertEquals("hello", first.get("message").getAsString());
        assertEquals("world", messages.get(1).getAsJsonObject().get("message").getAsString());
    }

    @Test
    void aMessageByAShowsAsNameToB() {
        String alice = TestServer.unique("alice");
        long a = chat.logon(alice, "pw");
        long b = chat.newSession();
        String channel = chat.newChannel(a);
        chat.postMessage(a, channel, "hi bob");
        JsonObject message = chat.post("retrieve", Map.of("sesskey", b, "channel", channel, "first", 1, "last", 1))
                .success().getAsJsonArray().get(0).getAsJsonObject();
        assertEquals(alice, message.get("username").getAsString());
    }

    @Test
    void retrieveKeepsTheNewestHundredAndHonoursRangeBoundaries() {
        long key = chat.newSession();
        String channel = chat.newChannel(key);
        for (int i = 1; i <= 150; i++) {
            assertTrue(chat.post("post", Map.of("sesskey", key, "channel", channel, "message", "m" + i)).ok());
        }
        assertEquals(ids(51, 150), retrieve(key, channel, 1, 150));
        assertEquals(ids(51, 60), retrieve(key, channel, 1, 60));
        assertEquals(ids(140, 150), retrieve(key, channel, 140, 400));
        assertEquals(List.of(), retrieve(key, channel, 1, 50));
        assertEquals(List.of(), retrieve(key, channel, 0, 0));
        assertEquals(List.of(), retrieve(key, channel, 100, 99));
        assertEquals(List.of(77L), retrieve(key, channel, 77, 77));
        assertEquals(ids(51, 150), retrieve(key, channel, Long.MIN_VALUE, Long.MAX_VALUE));
        assertEquals(List.of(), retrieve(key, channel, 151, 151), "nothing new is an empty list, not an error");
    }

    @Test
    void failuresOnMissingChannels() {
        long key = chat.newSession();
        assertFailure("CHANNEL_NOT_FOUND", chat.post("post", Map.of("sesskey", key, "channel", "none", "message", "m")));
        assertFailure("CHANNEL_NOT_FOUND", chat.post("lastmessage", Map.of("sesskey", key, "channel", "none")));
        assertFailure("CHANNEL_NOT_FOUND",
                chat.post("retrieve", Map.of("sesskey", key, "channel", "none", "first", 1, "last", 2)));
    }

    @Test
    void overlongNamesAndMessagesAreRefusedWithTheFieldNamed() {
        long key = chat.newSession();
        String channel = chat.newChannel(key);
        Reply user = chat.post("logon", Map.of("username", "u".repeat(33), "password", "pw"));
        assertFailure("FIELD_INVALID", user);
        assertTrue(user.data().getAsString().contains("username"));
        assertFailure("FIELD_INVALID", chat.post("create", Map.of("sesskey", key, "channel", "c".repeat(65))));
        Reply message = chat.post("post", Map.of("sesskey", key, "channel", channel, "message", "m".repeat(4097)));
        assertFailure("FIELD_INVALID", message);
        assertTrue(message.data().getAsString().contains("message"));
        assertTrue(chat.post("post", Map.of("sesskey", key, "channel", channel, "message", "m".repeat(4096))).ok());
    }

    @Test
    void parallelPostsOverHttpGetUniqueContiguousIds() throws Exception {
        long key = chat.newSession();
        String channel = chat.newChannel(key);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> posts = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            String text = "parallel " + i;
            posts.add(pool.submit(() -> chat.postMessage(key, channel, text)));
        }
        for (Future<?> post : posts) {
            post.get();
        }
        pool.shutdown();
        JsonArray messages = chat.post("retrieve", Map.of("sesskey", key, "channel", channel, "first", 1, "last", 100))
                .success().getAsJsonArray();
        Set<String> texts = new HashSet<>();
        for (int i = 0; i < messages.size(); i++) {
            JsonObject message = messages.get(i).getAsJsonObject();
            assertEquals(i + 1, message.get("messageid").getAsLong());
            texts.add(message.get("message").getAsString());
        }
        assertEquals(100, texts.size(), "each message exactly once");
    }

    @Test
    void healthAnswersGet() {
        Reply reply = chat.send(new okhttp3.Request.Builder().url(chat.url("/health")).get().build());
        assertEquals(200, reply.httpStatus());
        assertEquals("ok", reply.data().getAsString());
    }

    private static List<Long> retrieve(long key, String channel, long first, long last) {
        Reply reply = chat.post("retrieve", Map.of("sesskey", key, "channel", channel, "first", first, "last", last));
        assertTrue(reply.ok(), reply.toString());
        List<Long> ids = new ArrayList<>();
        for (JsonElement message : reply.data().getAsJsonArray()) {
            ids.add(message.getAsJsonObject().get("messageid").getAsLong());
        }
        return ids;
    }

    private static List<Long> ids(long first, long last) {
        List<Long> ids = new ArrayList<>();
        for (long id = first; id <= last; id++) {
            ids.add(id);
        }
        return ids;
    }
}
