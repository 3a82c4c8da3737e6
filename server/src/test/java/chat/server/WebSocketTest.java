package chat.server;

import chat.testing.TestServer;
import chat.testing.TestSocket;
import com.google.gson.JsonObject;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import static chat.testing.TestSocket.body;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** GET /ws over a real socket against the real server. */
@Timeout(60)
class WebSocketTest {
    private final OkHttpClient http = new OkHttpClient();
    private final List<AutoCloseable> opened = new ArrayList<>();
    private TestServer chat;

    private TestServer start(Config config) {
        chat = TestServer.start(config);
        return chat;
    }

    private TestSocket connect(long sesskey) throws Exception {
        TestSocket socket = new TestSocket(http, chat.server.url().replace("http", "ws") + "/ws", Long.toString(sesskey));
        opened.add(socket);
        assertTrue(socket.awaitOpen(), "the handshake should succeed");
        return socket;
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable closeable : opened) {
            closeable.close();
        }
        if (chat != null) {
            chat.close();
        }
    }

    private static void assertMessage(JsonObject event, String channel, long id, String text) {
        assertEquals("message", event.get("event").getAsString(), event.toString());
        assertEquals(channel, event.get("channel").getAsString(), event.toString());
        JsonObject data = event.getAsJsonObject("data");
        assertEquals(id, data.get("messageid").getAsLong(), event.toString());
        assertEquals(text, data.get("message").getAsString(), event.toString());
    }

    @Test
    void aHandshakeWithoutALiveKeyIsRefusedWith401AndTheEnvelope() throws Exception {
        start(TestServer.config().build());
        TestServer.Reply plain = chat.send(new Request.Builder().url(chat.url("/ws")).build());
        assertEquals(401, plain.httpStatus(), "no key at all");
        assertEquals("HANDSHAKE_REFUSED", plain.error());
        TestSocket refused = new TestSocket(http, chat.server.url().replace("http", "ws") + "/ws", "12345");
        opened.add(refused);
        assertFalse(refused.awaitOpen());
        assertEquals(401, refused.awaitEnding().httpStatus());
        long key = chat.newSession();
        TestServer.Reply notUpgraded = chat.send(new Request.Builder().url(chat.url("/ws?sesskey=" + key)).build());
        assertEquals(400, notUpgraded.httpStatus(), "a live key but no upgrade");
        assertEquals("NOT_A_WEBSOCKET", notUpgraded.error());
        Request draft = new Request.Builder().url(chat.url("/ws?sesskey=" + key)).header("Upgrade", "websocket")
                .header("Connection", "Upgrade").header("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")
                .header("Sec-WebSocket-Version", "8").build();
        try (okhttp3.Response response = http.newCall(draft).execute()) {
            assertEquals(426, response.code(), "a version other than 13 (RFC 6455 section 4.4)");
            assertEquals("13", response.header("Sec-WebSocket-Version"));
            assertTrue(response.body().string().contains("WEBSOCKET_VERSION_UNSUPPORTED"));
        }
    }

    @Test
    void theKeyMayComeAsAQueryParameterForBrowsers() throws Exception {
        start(TestServer.config().build());
        long key = chat.newSession();
        TestSocket socket = new TestSocket(http, chat.server.url().replace("http", "ws") + "/ws?sesskey=" + key, null);
        opened.add(socket);
        assertTrue(socket.awaitOpen());
        assertTrue(socket.call("list", body()).get("status").getAsBoolean());
    }

    @Test
    void everyCallWorksOverTheSocketWithItsIdAndTheSameAnswers() throws Exception {
        start(TestServer.config().build());
        long key = chat.newSession();
        TestSocket socket = connect(key);
        assertTrue(socket.call("create", body("channel", "general")).get("data").getAsBoolean());
        JsonObject exists = socket.call("create", body("channel", "general"));
        assertFalse(exists.get("status").getAsBoolean());
        assertEquals("CHANNEL_EXISTS", exists.get("error").getAsString());
        assertTrue(socket.call("post", body("channel", "general", "message", "over the socket")).get("status").getAsBoolean());
        assertEquals(1, socket.call("lastmessage", body("channel", "general")).get("data").getAsLong());
        JsonObject retrieved = socket.call("retrieve", body("channel", "general", "first", 1, "last", 9));
        assertEquals("over the socket", retrieved.getAsJsonArray("data").get(0).getAsJsonObject().get("message").getAsString());
        assertEquals("general", socket.call("list", body()).getAsJsonArray("data").get(0).getAsString());
        JsonObject logon = socket.call("logon", body("username", "other", "password", "pw"));
        assertTrue(logon.get("data").getAsLong() > 0);
        JsonObject wrongType = socket.call("retrieve", body("channel", "general", "first", "1", "last", 2));
        assertEquals("FIELD_WRONG_TYPE", wrongType.get("error").getAsString());
    }

    @Test
    void aMalformedFrameGetsAFailureAnswerAndTheSocketStaysOpen() throws Exception {
        start(TestServer.config().build());
        TestSocket socket = connect(chat.newSession());
        socket.sendRaw("{not json");
        JsonObject answer = socket.next();
        assertEquals("MALFORMED_JSON", answer.get("error").getAsString());
        assertTrue(answer.get("id").isJsonNull());
        socket.sendRaw("{\"id\": 5, \"body\": {}}");
        assertEquals("FIELD_MISSING", socket.next().get("error").getAsString());
        socket.sendRaw("{\"id\": 6, \"call\": \"nope\"}");
        JsonObject unknown = socket.next();
        assertEquals(6, unknown.get("id").getAsInt());
        assertEquals("UNKNOWN_CALL", unknown.get("error").getAsString());
        assertTrue(socket.call("list", body()).get("status").getAsBoolean(), "still serving");
    }

    @Test
    void subscribeAnswersTheWindowThenSendsTheBacklogThenNewMessagesInOrder() throws Exception {
        start(TestServer.config().build());
        long key = chat.newSession();
        String channel = chat.newChannel(key);
        for (int i = 1; i <= 3; i++) {
            chat.post("post", Map.of("sesskey", key, "channel", channel, "message", "m" + i));
        }
        TestSocket socket = connect(chat.newSession());
        int id = socket.send("subscribe", body("channel", channel, "after", 1));
        JsonObject answer = socket.next();
        assertEquals(id, answer.get("id").getAsInt());
        assertEquals(1, answer.getAsJsonObject("data").get("first").getAsLong());
        assertEquals(3, answer.getAsJsonObject("data").get("last").getAsLong());
        assertMessage(socket.next(), channel, 2, "m2");
        assertMessage(socket.next(), channel, 3, "m3");
        chat.post("post", Map.of("sesskey", key, "channel", channel, "message", "m4"));
        assertMessage(socket.next(), channel, 4, "m4");
        assertNull(socket.next(200), "nothing doubled");
    }

    @Test
    void messagesLostToTheWindowAreAnnouncedByAGapEventFirst() throws Exception {
        start(TestServer.config().build());
        long key = chat.newSession();
        String channel = chat.newChannel(key);
        for (int i = 1; i <= 120; i++) {
            chat.post("post", Map.of("sesskey", key, "channel", channel, "message", "m" + i));
        }
        TestSocket socket = connect(key);
        socket.send("subscribe", body("channel", channel, "after", 5));
        JsonObject answer = socket.next();
        assertEquals(21, answer.getAsJsonObject("data").get("first").getAsLong());
        JsonObject gap = socket.next();
        assertEquals("gap", gap.get("event").getAsString(), gap.toString());
        assertEquals(6, gap.get("from").getAsLong());
        assertEquals(20, gap.get("to").getAsLong());
        for (int id = 21; id <= 120; id++) {
            assertMessage(socket.next(), channel, id, "m" + id);
        }
    }

    @Test
    void concurrentPostsArriveInIdOrderNeverDoubledNeverSkipped() throws Exception {
        start(TestServer.config().build());
        long key = chat.newSession();
        String channel = chat.newChannel(key);
        TestSocket socket = connect(key);
        socket.send("subscribe", body("channel", channel, "after", 0));
        socket.next();
        int posts = 90; // within the window, so none may be missing
        ExecutorService pool = Executors.newFixedThreadPool(6);
        List<Future<?>> posting = new ArrayList<>();
        for (int i = 0; i < posts; i++) {
            String text = "p" + i;
            posting.add(pool.submit(() -> chat.post("post", Map.of("sesskey", key, "channel", channel, "message", text))));
        }
        for (Future<?> post : posting) {
            post.get();
        }
        pool.shutdown();
        for (int id = 1; id <= posts; id++) {
            JsonObject event = socket.next();
            assertEquals("message", event.get("event").getAsString(), event.toString());
            assertEquals(id, event.getAsJsonObject("data").get("messageid").getAsLong(), event.toString());
        }
        assertNull(socket.next(300), "nothing after the last");
    }

    @Test
    void unsubscribeStopsEventsAndLimitsAreEnforced() throws Exception {
        SocketLimits limits = new SocketLimits(1, 1024, 1000, 1 << 20, Duration.ofSeconds(30), Duration.ofSeconds(90));
        start(TestServer.config().socketLimits(limits).build());
        long key = chat.newSession();
        String first = chat.newChannel(key);
        String second = chat.newChannel(key);
        TestSocket socket = connect(key);
        assertTrue(socket.call("subscribe", body("channel", first)).get("status").getAsBoolean());
        assertEquals("LIMIT_REACHED", socket.call("subscribe", body("channel", second)).get("error").getAsString());
        assertTrue(socket.call("unsubscribe", body("channel", first)).get("status").getAsBoolean());
        chat.post("post", Map.of("sesskey", key, "channel", first, "message", "unheard"));
        assertNull(socket.next(300), "no event after unsubscribe");
        socket.sendRaw("{\"id\": 1, \"call\": \"post\", \"body\": {\"pad\": \"" + "x".repeat(2000) + "\"}}");
        TestSocket.Ending ending = socket.awaitEnding();
        assertEquals(1009, ending.code(), "a frame over the limit closes with a reason: " + ending);
        assertTrue(ending.reason().contains("1024"), ending.toString());
    }

    @Test
    void aLargeFrameArrivingInManyReadsIsRefusedNotBufferedWhole() throws Exception {
        start(TestServer.config().build()); // the default limit: 64 KiB
        TestSocket socket = connect(chat.newSession());
        socket.sendRaw("{\"id\": 1, \"call\": \"list\", \"body\": {\"pad\": \"" + "x".repeat(200_000) + "\"}}");
        TestSocket.Ending ending = socket.awaitEnding();
        assertEquals(1009, ending.code(), ending.toString());
        assertEquals("frame larger than 65536 bytes", ending.reason());
    }

    @Test
    void logoffClosesTheSessionsSocketsWith1008AfterAnsweringIt() throws Exception {
        start(TestServer.config().build());
        long key = chat.newSession();
        TestSocket watcher = connect(key);
        TestSocket socket = connect(key);
        JsonObject answer = socket.call("logoff", body());
        assertTrue(answer.get("status").getAsBoolean(), "the logoff is answered before the close");
        assertEquals(1008, socket.awaitEnding().code());
        TestSocket.Ending other = watcher.awaitEnding();
        assertEquals(1008, other.code());
        assertEquals("session ended", other.reason());
    }

    @Test
    void expiryClosesTheSocketToo() throws Exception {
        SocketLimits quick = new SocketLimits(100, 65536, 1000, 1 << 20, Duration.ofMillis(200), Duration.ofSeconds(30));
        start(TestServer.config().sessionIdleTimeout(Duration.ofMillis(600)).socketLimits(quick).build());
        TestSocket socket = connect(chat.newSession());
        TestSocket.Ending ending = socket.awaitEnding();
        assertEquals(1008, ending.code());
        assertEquals("session ended", ending.reason());
    }

    @Test
    void aSilentClientIsClosedAndAPongCountsAsSound() throws Exception {
        SocketLimits quick = new SocketLimits(100, 65536, 1000, 1 << 20, Duration.ofMillis(100), Duration.ofMillis(800));
        start(TestServer.config().socketLimits(quick).build());
        long key = chat.newSession();
        // OkHttp answers pings with pongs by itself: such a client stays...
        TestSocket answering = connect(key);
        // ...while one that never answers (it reads nothing at all) is closed once the silence lasts 800 ms.
        SlowReader silent = new SlowReader(chat.server.url(), key, chat.newChannel(key));
        opened.add(silent);
        silent.subscribeAndStopReading();
        assertEquals("1001 silent for 800 ms", silent.awaitClose());
        assertTrue(answering.call("list", body()).get("status").getAsBoolean(), "a client that pongs stays open");
    }

    /** 10 MB of messages: more than the sockets' buffers hold on loopback (a few MiB), so the rest waits in the queue. */
    private static final int BACKLOG_POSTS = 2500;

    /** A subscriber that has stopped reading, with {@code posts} messages of 4,000 characters posted meanwhile. */
    private SlowReader stalledSubscriber(long key, String channel, int posts) throws Exception {
        SlowReader reader = new SlowReader(chat.server.url(), key, channel);
        opened.add(reader);
        reader.subscribeAndStopReading();
        String big = "x".repeat(4000);
        for (int i = 0; i < posts; i++) {
            chat.post("post", Map.of("sesskey", key, "channel", channel, "message", big));
        }
        return reader;
    }

    /** Limits with a queue roomy enough for the backlog, so that nobody is closed as too slow. */
    private static SocketLimits roomyQueue(Duration pingInterval) {
        return new SocketLimits(100, 65536, 2 * BACKLOG_POSTS, 32 << 20, pingInterval, Duration.ofSeconds(30));
    }

    @Test
    void aClientThatDoesNotReadIsClosedAsTooSlow() throws Exception {
        SocketLimits small = new SocketLimits(100, 65536, 20, 1 << 20, Duration.ofSeconds(30), Duration.ofSeconds(90));
        start(TestServer.config().socketLimits(small).build());
        long key = chat.newSession();
        SlowReader slow = stalledSubscriber(key, chat.newChannel(key), BACKLOG_POSTS);
        assertEquals("1013 too slow", slow.awaitClose());
        assertTrue(chat.post("list", Map.of("sesskey", key)).ok(), "everyone else is still served");
    }

    @Test
    void framesQueuedBehindAFullSocketGoOutWholeAndInOrderWithPingsBetween() throws Exception {
        start(TestServer.config().socketLimits(roomyQueue(Duration.ofMillis(100))).build());
        long key = chat.newSession();
        SlowReader reader = stalledSubscriber(key, chat.newChannel(key), BACKLOG_POSTS);
        Thread.sleep(500); // pings (every 100 ms) are written by Undertow meanwhile: they go behind the queue
        List<String> frames = reader.readFrames(BACKLOG_POSTS);
        List<String> ids = frames.stream().filter(frame -> frame.matches("\\d+")).toList();
        List<String> expected = IntStream.rangeClosed(1, BACKLOG_POSTS).mapToObj(Integer::toString).toList();
        assertEquals(expected, ids, "every message once, in order, each frame whole");
        int firstPing = frames.indexOf("ping");
        assertTrue(firstPing > frames.indexOf("1"), "a ping came while messages were queued: " + firstPing);
    }

    @Test
    void aClientThatVanishesWhileFramesWaitForItIsForgotten() throws Exception {
        start(TestServer.config().socketLimits(roomyQueue(Duration.ofSeconds(30))).build());
        long key = chat.newSession();
        String channel = chat.newChannel(key);
        SlowReader vanishing = stalledSubscriber(key, channel, BACKLOG_POSTS);
        assertEquals(1, chat.server.openSockets());
        vanishing.reset();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (chat.server.openSockets() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(0, chat.server.openSockets(), "the socket and its queued frames are let go");
        assertTrue(chat.post("post", Map.of("sesskey", key, "channel", channel, "message", "still here")).ok());
    }
}
