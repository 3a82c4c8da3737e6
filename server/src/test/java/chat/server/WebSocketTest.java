package chat.server;

import chat.config.Config;
import chat.config.Settings;
import chat.testing.Await;
import chat.testing.LocalRedis;
import chat.testing.TestServer;
import chat.testing.TestSocket;
import chat.ws.SocketLimits;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import static chat.testing.TestSocket.body;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

    /**
     * A socket the server has taken on: the client sees the 101 before the server has registered the socket with
     * its session, so a first answer is what shows it has (a logoff or an expiry would otherwise race it).
     */
    private TestSocket connect(long sesskey) throws Exception {
        TestSocket socket = new TestSocket(http, chat.server.url().replace("http", "ws") + "/ws", Long.toString(sesskey));
        opened.add(socket);
        assertTrue(socket.awaitOpen(), "the handshake should succeed: " + (socket.awaitOpen() ? "" : socket.awaitEnding()));
        socket.succeed("list", body());
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

    private static void assertFailure(String error, JsonObject answer) {
        assertEquals(new JsonPrimitive(false), answer.get("status"), answer.toString());
        assertEquals(new JsonPrimitive(error), answer.get("error"), answer.toString());
    }

    /**
     * Nothing more is on its way: a message posted now is the next frame. A doubled or stray event would come
     * before it (events of a channel come in id order), so unlike waiting a while and seeing nothing, this cannot
     * pass by being too quick.
     */
    private void assertNothingBeforeTheNextPost(TestSocket socket, long key, String channel, long nextId) throws Exception {
        chat.postMessage(key, channel, "sentinel");
        assertEquals("sentinel", socket.nextMessage(channel, nextId), "the next post is the next frame");
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
        socket.succeed("list", body());
    }

    @Test
    void everyCallWorksOverTheSocketWithItsIdAndTheSameAnswers() throws Exception {
        start(TestServer.config().build());
        long key = chat.newSession();
        TestSocket socket = connect(key);
        assertTrue(socket.succeed("create", body("channel", "general")).getAsBoolean());
        assertFailure("CHANNEL_EXISTS", socket.call("create", body("channel", "general")));
        assertTrue(socket.succeed("post", body("channel", "general", "message", "over the socket")).getAsBoolean());
        assertEquals(1, socket.succeed("lastmessage", body("channel", "general")).getAsLong());
        JsonArray retrieved = socket.succeed("retrieve", body("channel", "general", "first", 1, "last", 9)).getAsJsonArray();
        assertEquals(1, retrieved.size(), retrieved.toString());
        assertEquals("over the socket", retrieved.get(0).getAsJsonObject().get("message").getAsString(), retrieved.toString());
        assertEquals("[\"general\"]", socket.succeed("list", body()).toString());
        assertTrue(socket.succeed("logon", body("username", "other", "password", "pw")).getAsLong() > 0);
        assertFailure("FIELD_WRONG_TYPE", socket.call("retrieve", body("channel", "general", "first", "1", "last", 2)));
    }

    @Test
    void anIdThatIsNotAStringNumberOrNullIsRefusedWithoutEchoingIt() throws Exception {
        start(TestServer.config().build());
        TestSocket socket = connect(chat.newSession());
        // 30,000 levels: once a StackOverflowError with an 81 KB stack trace in the log per frame (issue 13).
        String deep = "[".repeat(30_000) + "]".repeat(30_000);
        for (String id : List.of("{\"a\": [1]}", "false", deep)) {
            socket.sendRaw("{\"id\": " + id + ", \"call\": \"list\", \"body\": {}}");
            JsonObject answer = socket.next();
            assertFailure("FIELD_WRONG_TYPE", answer);
            assertTrue(answer.get("id").isJsonNull(), "an id that cannot be echoed is none: " + answer);
        }
        socket.sendRaw("{\"id\": 9, \"call\": \"list\", \"body\": {\"a\": 1, \"a\": 2, \"b\": [3]}}");
        JsonObject twice = socket.next();
        assertFailure("MALFORMED_JSON", twice); // as over HTTP: a field named twice
        assertEquals(new JsonPrimitive(9), twice.get("id"), "the frame's id was read: " + twice);
        socket.sendRaw("{\"id\": \"seven\", \"call\": \"list\", \"body\": {\"deep\": " + deep + "}}");
        JsonObject listed = socket.next();
        assertEquals(new JsonPrimitive("seven"), listed.get("id"), "deep values in the body are skipped: " + listed);
        assertTrue(listed.get("status").getAsBoolean(), listed.toString());
    }

    @Test
    void aMalformedFrameGetsAFailureAnswerAndTheSocketStaysOpen() throws Exception {
        start(TestServer.config().build());
        TestSocket socket = connect(chat.newSession());
        socket.sendRaw("{not json");
        JsonObject answer = socket.next();
        assertFailure("MALFORMED_JSON", answer);
        assertTrue(answer.has("id") && answer.get("id").isJsonNull(), "no id could be read: " + answer);
        socket.sendRaw("{\"id\": 5, \"body\": {}}");
        assertFailure("FIELD_MISSING", socket.next());
        socket.sendRaw("{\"id\": 6, \"call\": \"nope\"}");
        JsonObject unknown = socket.next();
        assertEquals(new JsonPrimitive(6), unknown.get("id"), unknown.toString());
        assertFailure("UNKNOWN_CALL", unknown);
        assertEquals("no call \"nope\"; the calls are logon, logoff, list, create, post, lastmessage, retrieve, "
                + "who, subscribe, unsubscribe", unknown.get("data").getAsString(), unknown.toString());
        socket.succeed("list", body()); // still serving
    }

    @Test
    void subscribeAnswersTheWindowThenSendsTheBacklogThenNewMessagesInOrder() throws Exception {
        start(TestServer.config().build());
        long key = chat.newSession();
        String channel = chat.newChannel(key);
        for (int i = 1; i <= 3; i++) {
            chat.postMessage(key, channel, "m" + i);
        }
        TestSocket socket = connect(chat.newSession());
        JsonObject window = socket.subscribe(channel, 1);
        assertEquals(1, window.get("first").getAsLong(), window.toString());
        assertEquals(3, window.get("last").getAsLong(), window.toString());
        assertEquals("m2", socket.nextMessage(channel, 2));
        assertEquals("m3", socket.nextMessage(channel, 3));
        chat.postMessage(key, channel, "m4");
        assertEquals("m4", socket.nextMessage(channel, 4));
        assertNothingBeforeTheNextPost(socket, key, channel, 5);
    }

    @Test
    void messagesLostToTheWindowAreAnnouncedByAGapEventFirst() throws Exception {
        start(TestServer.config().build());
        long key = chat.newSession();
        String channel = chat.newChannel(key);
        for (int i = 1; i <= 120; i++) {
            chat.postMessage(key, channel, "m" + i);
        }
        TestSocket socket = connect(key);
        JsonObject window = socket.subscribe(channel, 5);
        assertEquals(21, window.get("first").getAsLong(), window.toString());
        JsonObject gap = socket.next();
        assertTrue(TestSocket.isEvent(gap, "gap"), "a gap event first: " + gap);
        assertEquals(6, gap.get("from").getAsLong(), gap.toString());
        assertEquals(20, gap.get("to").getAsLong(), gap.toString());
        for (int id = 21; id <= 120; id++) {
            assertEquals("m" + id, socket.nextMessage(channel, id));
        }
    }

    @Test
    void concurrentPostsArriveInIdOrderNeverDoubledNeverSkipped() throws Exception {
        start(TestServer.config().build());
        long key = chat.newSession();
        String channel = chat.newChannel(key);
        TestSocket socket = connect(key);
        socket.subscribe(channel, 0);
        int posts = 90; // within the window, so none may be missing
        ExecutorService pool = Executors.newFixedThreadPool(6);
        List<Future<?>> posting = new ArrayList<>();
        for (int i = 0; i < posts; i++) {
            String text = "p" + i;
            posting.add(pool.submit(() -> chat.postMessage(key, channel, text)));
        }
        for (Future<?> post : posting) {
            post.get();
        }
        pool.shutdown();
        Set<String> texts = new HashSet<>();
        for (int id = 1; id <= posts; id++) {
            texts.add(socket.nextMessage(channel, id));
        }
        assertEquals(posts, texts.size(), "each post once: " + texts);
        assertNothingBeforeTheNextPost(socket, key, channel, posts + 1);
    }

    @Test
    void unsubscribeStopsEventsAndLimitsAreEnforced() throws Exception {
        start(TestServer.config().with(Settings.WS_MAX_SUBSCRIPTIONS, 1).with(Settings.WS_MAX_FRAME, 1024).build());
        long key = chat.newSession();
        String first = chat.newChannel(key);
        String second = chat.newChannel(key);
        TestSocket socket = connect(key);
        socket.subscribe(first, 0);
        assertFailure("LIMIT_REACHED", socket.call("subscribe", body("channel", second)));
        socket.succeed("unsubscribe", body("channel", first));
        chat.postMessage(key, first, "unheard");
        // Subscribed again from after the unheard message, the next post must be the next frame: had the first
        // subscription lived on, message 1 would come before it (in id order), or before the answer.
        socket.subscribe(first, 1);
        chat.postMessage(key, first, "heard");
        assertEquals("heard", socket.nextMessage(first, 2), "no event after unsubscribe");
        socket.succeed("unsubscribe", body("channel", first));
        socket.sendRaw("{\"id\": 1, \"call\": \"post\", \"body\": {\"pad\": \"" + "x".repeat(2000) + "\"}}");
        TestSocket.Ending ending = socket.awaitEnding();
        assertEquals(1009, ending.code(), "a frame over the limit closes with a reason: " + ending);
        assertTrue(ending.reason().contains("1024"), ending.toString());
    }

    @Test
    void anUnsubscribeSentOnReadingTheSubscribeAnswerFindsTheSubscriptionAndComesAfterItsBacklogOnRedis()
            throws Exception {
        // On Redis, a socket's calls run on the store's pool: the unsubscribe may run on another thread while the
        // subscribe's thread still sends the backlog. The subscription must be recorded before the subscribe's
        // answer goes out, and the unsubscribe's answer must follow the whole backlog, with nothing after it.
        try (LocalRedis redis = LocalRedis.start()) {
            start(TestServer.config().with(Settings.STORE, redis.url()).build());
            long key = chat.newSession();
            String channel = chat.newChannel(key);
            int backlog = 5;
            for (int i = 1; i <= backlog; i++) {
                chat.postMessage(key, channel, "m" + i);
            }
            TestSocket socket = connect(key);
            for (int round = 1; round <= 200; round++) {
                socket.subscribe(channel, 0);
                int unsubscribe = socket.send("unsubscribe", body("channel", channel));
                for (int id = 1; id <= backlog; id++) {
                    assertEquals("m" + id, socket.nextMessage(channel, id), "round " + round);
                }
                JsonObject answer = socket.next();
                assertEquals(new JsonPrimitive(unsubscribe), answer.get("id"), "round " + round + ": " + answer);
                assertEquals(new JsonPrimitive(true), answer.get("data"), "round " + round + ": " + answer);
            }
            // Nothing of any round comes late: subscribed after the backlog, the next post is the next frame.
            socket.subscribe(channel, backlog);
            assertNothingBeforeTheNextPost(socket, key, channel, backlog + 1);
            chat.close();
            chat = null;
        }
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
        socket.succeed("logoff", body()); // answered before the close
        assertEquals(1008, socket.awaitEnding().code());
        TestSocket.Ending other = watcher.awaitEnding();
        assertEquals(1008, other.code());
        assertEquals("session ended", other.reason());
    }

    @Test
    void anOpenSocketKeepsItsSessionAliveAndTheSessionIdlesOutOnceItCloses() throws Exception {
        Duration idle = Duration.ofMillis(600);
        start(TestServer.config().with(Settings.SESSION_IDLE, idle)
                .with(Settings.WS_PING, Duration.ofMillis(200)).with(Settings.WS_SILENCE, Duration.ofSeconds(30))
                .build());
        long key = chat.newSession();
        TestSocket reader = connect(key); // only reads: it calls nothing after the handshake
        long opened = System.nanoTime();
        // What is waited for is time itself: the session must outlive several of its idle timeouts.
        Await.until("four idle timeouts to pass with the socket open", Duration.ofSeconds(10),
                () -> System.nanoTime() - opened >= 4 * idle.toNanos());
        assertFalse(reader.hasEnded(), "the socket is still open");
        TestServer.Reply list = chat.post("list", Map.of("sesskey", key));
        assertTrue(list.ok(), "the session of an open socket is alive: " + list);
        reader.close();
        Await.until("the server to see the socket close", Duration.ofSeconds(10), () -> chat.server.openSockets() == 0);
        long closed = System.nanoTime();
        Await.until("two idle timeouts to pass with no socket open", Duration.ofSeconds(10),
                () -> System.nanoTime() - closed >= 2 * idle.toNanos());
        assertEquals("INVALID_SESSION", chat.post("list", Map.of("sesskey", key)).error(),
                "once its socket has closed, the session idles out as any does");
    }

    @Test
    void aSilentClientIsClosedAndAPongCountsAsSound() throws Exception {
        // 15 unanswered pings before a close: a margin no pause of a loaded machine's threads comes near.
        start(TestServer.config().with(Settings.WS_PING, Duration.ofMillis(100))
                .with(Settings.WS_SILENCE, Duration.ofMillis(1500)).build());
        long key = chat.newSession();
        // OkHttp answers pings with pongs by itself: such a client stays...
        TestSocket answering = connect(key);
        // ...while one that never answers (it reads nothing at all) is closed once the silence lasts 1.5 s.
        SlowReader silent = new SlowReader(chat.server.url(), key, chat.newChannel(key));
        opened.add(silent);
        silent.subscribeAndStopReading();
        assertEquals("1001 silent for 1500 ms", silent.awaitClose());
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
            chat.postMessage(key, channel, big);
        }
        return reader;
    }

    /** Limits with a queue roomy enough for the backlog, so that nobody is closed as too slow. */
    private static Config.Builder roomyQueue(Duration pingInterval) {
        return TestServer.config().with(Settings.WS_QUEUE_EVENTS, 2 * BACKLOG_POSTS)
                .with(Settings.WS_QUEUE_BYTES, 32L << 20).with(Settings.WS_PING, pingInterval)
                .with(Settings.WS_SILENCE, Duration.ofSeconds(30));
    }

    @Test
    void aClientThatDoesNotReadIsClosedAsTooSlow() throws Exception {
        // The reader reads the close only after the 2,500 posts: the longest close timeout, so it is not dropped first.
        start(TestServer.config().with(Settings.WS_QUEUE_EVENTS, 20)
                .with(Settings.WS_CLOSE_TIMEOUT, Duration.ofSeconds(10)).build());
        long key = chat.newSession();
        SlowReader slow = stalledSubscriber(key, chat.newChannel(key), BACKLOG_POSTS);
        assertEquals("1013 too slow", slow.awaitClose());
        chat.post("list", Map.of("sesskey", key)).success(); // everyone else is still served
    }

    @Test
    void framesQueuedBehindAFullSocketGoOutWholeAndInOrderWithPingsBetween() throws Exception {
        start(roomyQueue(Duration.ofMillis(100)).build());
        long key = chat.newSession();
        SlowReader reader = stalledSubscriber(key, chat.newChannel(key), BACKLOG_POSTS);
        // Two more pings (every 100 ms) queued while the backlog waits: they go behind it, between whole frames.
        long pings = chat.server.pingsSent();
        Await.until("two pings after the backlog", Duration.ofSeconds(10), () -> chat.server.pingsSent() >= pings + 2);
        List<String> frames = reader.readFrames(BACKLOG_POSTS);
        List<String> ids = frames.stream().filter(frame -> frame.matches("\\d+")).toList();
        List<String> expected = IntStream.rangeClosed(1, BACKLOG_POSTS).mapToObj(Integer::toString).toList();
        assertEquals(expected, ids, "every message once, in order, each frame whole");
        int firstPing = frames.indexOf("ping");
        assertTrue(firstPing > frames.indexOf("1"), "a ping came while messages were queued: " + frames);
    }

    @Test
    void aClientThatVanishesWhileFramesWaitForItIsForgotten() throws Exception {
        start(roomyQueue(Duration.ofSeconds(30)).build());
        long key = chat.newSession();
        String channel = chat.newChannel(key);
        SlowReader vanishing = stalledSubscriber(key, channel, BACKLOG_POSTS);
        assertEquals(1, chat.server.openSockets());
        vanishing.reset();
        Await.until("the socket and its queued frames to be let go", Duration.ofSeconds(10),
                () -> chat.server.openSockets() == 0);
        chat.postMessage(key, channel, "still here");
    }
}
