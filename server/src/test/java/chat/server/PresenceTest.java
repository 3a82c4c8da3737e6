package chat.server;

import chat.config.Config;
import chat.config.Settings;
import chat.store.PresenceStore;
import chat.testing.Await;
import chat.testing.TestServer;
import chat.testing.TestSocket;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static chat.testing.TestSocket.body;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Presence on the in-memory server (spec 9.1): who over HTTP and WebSocket, joins and leaves, their bounds. */
@Timeout(90)
class PresenceTest {
    /** Sockets are requests to OkHttp's dispatcher, 5 per host by default: the paging test holds 105 at once. */
    private final OkHttpClient http = http();

    private static OkHttpClient http() {
        Dispatcher dispatcher = new Dispatcher();
        dispatcher.setMaxRequests(512);
        dispatcher.setMaxRequestsPerHost(512);
        return new OkHttpClient.Builder().dispatcher(dispatcher).build();
    }
    private final List<AutoCloseable> opened = new ArrayList<>();
    private TestServer chat;

    private TestServer start(Config.Builder config) {
        chat = TestServer.start(config.build());
        return chat;
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

    private TestSocket connect(long key) throws Exception {
        TestSocket socket = new TestSocket(http, chat.server.url().replace("http", "ws") + "/ws", Long.toString(key));
        opened.add(socket);
        assertTrue(socket.awaitOpen());
        return socket;
    }

    /** A socket of a new user, subscribed to the channel (a user is not told of their own join). */
    private TestSocket present(String user, String channel) throws Exception {
        TestSocket socket = connect(chat.logon(user, "pw"));
        socket.subscribe(channel, 0);
        return socket;
    }

    private static void expectPresence(TestSocket socket, String event, String channel, String user)
            throws InterruptedException {
        JsonObject frame = socket.next();
        JsonObject expected = new JsonObject();
        expected.addProperty("event", event);
        expected.addProperty("channel", channel);
        expected.addProperty("username", user);
        assertEquals(expected, frame, "expected " + user + " to " + event);
    }

    /** Nothing else is on its way to the socket: a message posted now is its next frame. */
    private void expectNothingBeforeAPost(TestSocket socket, long key, String channel, long id) throws Exception {
        chat.postMessage(key, channel, "sentinel " + id);
        assertEquals("sentinel " + id, socket.nextMessage(channel, id), "the next post is the next frame");
    }

    private JsonObject whoOverHttp(long key, String channel, String after) {
        Map<String, Object> fields = new HashMap<>(Map.of("sesskey", key, "channel", channel));
        if (after != null) {
            fields.put("after", after);
        }
        return chat.post("who", fields).success().getAsJsonObject();
    }

    private static JsonObject who(long count, String... users) {
        JsonObject answer = new JsonObject();
        answer.addProperty("count", count);
        JsonArray names = new JsonArray();
        for (String user : users) {
            names.add(user);
        }
        answer.add("users", names);
        return answer;
    }

    @Test
    void whoOverHttpAndWebSocketNamesTheUsersWithASocketSubscribedAndOthersSeeThemJoinAndLeave() throws Exception {
        start(TestServer.config().with(Settings.PRESENCE_GRACE, Duration.ofMillis(200)));
        long owner = chat.newSession();
        String channel = chat.newChannel(owner);
        assertEquals(who(0), whoOverHttp(owner, channel, null), "nobody is subscribed yet");
        String alice = TestServer.unique("alice");
        String bob = TestServer.unique("bob");
        TestSocket aliceSocket = present(alice, channel);
        assertEquals(who(1, alice), whoOverHttp(owner, channel, null), "who after the subscribe's answer counts it");

        TestSocket bobSocket = present(bob, channel);
        expectPresence(aliceSocket, "join", channel, bob);
        assertEquals(who(2, alice, bob), whoOverHttp(owner, channel, null));
        assertEquals(who(2, alice, bob), aliceSocket.succeed("who", body("channel", channel)), "over the socket too");
        assertEquals(who(2, bob), aliceSocket.succeed("who", body("channel", channel, "after", alice)),
                "the count is all of them, the page those after alice");

        bobSocket.close();
        expectPresence(aliceSocket, "leave", channel, bob);
        assertEquals(who(1, alice), whoOverHttp(owner, channel, null));
        expectNothingBeforeAPost(aliceSocket, owner, channel, 1); // nor was alice told of her own join
        TestSocket aliceAgain = connect(chat.logon(alice, "pw")); // a second socket of alice's is no join either
        aliceAgain.subscribe(channel, 0);
        assertEquals("sentinel 1", aliceAgain.nextMessage(channel, 1));
        expectNothingBeforeAPost(aliceSocket, owner, channel, 2);
        assertEquals("sentinel 2", aliceAgain.nextMessage(channel, 2), "nor the first socket's, of its join");
    }

    @Test
    void anUnsubscribeIsALeaveAndPostingOrPollingIsNoPresence() throws Exception {
        start(TestServer.config().with(Settings.PRESENCE_GRACE, Duration.ofMillis(100)));
        long owner = chat.newSession();
        String channel = chat.newChannel(owner);
        String alice = TestServer.unique("alice");
        TestSocket aliceSocket = present(alice, channel);
        String bob = TestServer.unique("bob");
        TestSocket bobSocket = present(bob, channel);
        expectPresence(aliceSocket, "join", channel, bob);
        assertEquals(true, bobSocket.succeed("unsubscribe", body("channel", channel)).getAsBoolean());
        expectPresence(aliceSocket, "leave", channel, bob);
        chat.post("lastmessage", Map.of("sesskey", owner, "channel", channel)).success();
        assertEquals(who(1, alice), whoOverHttp(owner, channel, null), "an HTTP caller is not present");
    }

    /**
     * A reconnect within the grace period, and a user's second socket closing, are neither leave nor join. What
     * shows no leave is coming: carol's leave, whose grace began after both, comes first, then the next post.
     */
    @Test
    void aReconnectWithinTheGraceAndASecondSocketClosingAreNeitherLeaveNorJoin() throws Exception {
        start(TestServer.config().with(Settings.PRESENCE_GRACE, Duration.ofSeconds(3)));
        long owner = chat.newSession();
        String channel = chat.newChannel(owner);
        String alice = TestServer.unique("alice");
        TestSocket aliceSocket = present(alice, channel);
        String bob = TestServer.unique("bob");
        long bobKey = chat.logon(bob, "pw");
        TestSocket first = connect(bobKey);
        first.subscribe(channel, 0);
        expectPresence(aliceSocket, "join", channel, bob);
        TestSocket second = connect(bobKey);
        second.subscribe(channel, 0); // already present: no join
        first.close(); // bob still has a socket there
        second.close();
        TestSocket again = connect(bobKey); // a reconnect, well within the grace period
        again.subscribe(channel, 0);

        String carol = TestServer.unique("carol");
        TestSocket carolSocket = present(carol, channel);
        expectPresence(aliceSocket, "join", channel, carol);
        carolSocket.close();
        expectPresence(aliceSocket, "leave", channel, carol);
        expectNothingBeforeAPost(aliceSocket, owner, channel, 1);
        expectPresence(again, "join", channel, carol);
        expectPresence(again, "leave", channel, carol);
        assertEquals("sentinel 1", again.nextMessage(channel, 1));
        expectNothingBeforeAPost(again, owner, channel, 2);
        assertEquals(who(2, alice, bob), whoOverHttp(owner, channel, null));
    }

    @Test
    void whoPagesAHundredNamesAtATimeInCodePointOrder() throws Exception {
        start(TestServer.config().with(Settings.PRESENCE_MAX_EVENTS, 0));
        long owner = chat.newSession();
        String channel = chat.newChannel(owner);
        String prefix = TestServer.unique("p");
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 103; i++) {
            String name = prefix + "-" + (char) ('a' + i % 26) + i;
            names.add(name);
            connect(chat.logon(name, "pw")).subscribe(channel, 0);
        }
        String astral = prefix + "-\uD83D\uDE00"; // after U+FFFD in code point order, before it in UTF-16's
        String bmp = prefix + "-\uFFFD";
        names.add(astral);
        names.add(bmp);
        connect(chat.logon(astral, "pw")).subscribe(channel, 0);
        connect(chat.logon(bmp, "pw")).subscribe(channel, 0);
        names.sort(PresenceStore.ORDER);
        assertEquals(bmp, names.get(names.size() - 2));

        JsonObject first = whoOverHttp(owner, channel, null);
        assertEquals(105, first.get("count").getAsLong());
        JsonArray page = first.getAsJsonArray("users");
        assertEquals(100, page.size());
        List<String> seen = new ArrayList<>();
        page.forEach(name -> seen.add(name.getAsString()));
        JsonObject second = whoOverHttp(owner, channel, seen.get(99));
        assertEquals(105, second.get("count").getAsLong());
        second.getAsJsonArray("users").forEach(name -> seen.add(name.getAsString()));
        assertEquals(names, seen);
        assertEquals(who(105), whoOverHttp(owner, channel, names.get(104)), "after the last name: none");
    }

    /** Above --presence-max-events present users, nobody is told of joins and leaves; who still counts them. */
    @Test
    void joinsAndLeavesAreSentOnlyWhileTheChannelHasAtMostTheBoundOfPresentUsers() throws Exception {
        start(TestServer.config().with(Settings.PRESENCE_MAX_EVENTS, 2)
                .with(Settings.PRESENCE_GRACE, Duration.ofMillis(100)));
        long owner = chat.newSession();
        String channel = chat.newChannel(owner);
        String alice = TestServer.unique("alice");
        TestSocket aliceSocket = present(alice, channel);
        String bob = TestServer.unique("bob");
        present(bob, channel);
        expectPresence(aliceSocket, "join", channel, bob);
        String carol = TestServer.unique("carol");
        TestSocket carolSocket = connect(chat.logon(carol, "pw"));
        carolSocket.subscribe(channel, 0);
        assertEquals(3, whoOverHttp(owner, channel, null).get("count").getAsLong());
        expectNothingBeforeAPost(aliceSocket, owner, channel, 1); // no join: the third of at most two
        carolSocket.close();
        Await.until("carol gone", Duration.ofSeconds(20),
                () -> whoOverHttp(owner, channel, null).get("count").getAsLong() == 2);
        expectNothingBeforeAPost(aliceSocket, owner, channel, 2); // nor a leave
    }

    @Test
    void whoOfAnUnknownChannelOrWithBadFieldsFailsWithAReason() throws Exception {
        start(TestServer.config());
        long key = chat.newSession();
        TestServer.Reply unknown = chat.post("who", Map.of("sesskey", key, "channel", "no-such-channel"));
        assertEquals("CHANNEL_NOT_FOUND", unknown.error(), unknown.toString());
        assertEquals("no channel named \"no-such-channel\"; create it first", unknown.data().getAsString());
        assertEquals("FIELD_MISSING", chat.post("who", Map.of("sesskey", key)).error());
        assertEquals("FIELD_WRONG_TYPE", chat.post("who", Map.of("sesskey", key, "channel", 5)).error());
        String channel = chat.newChannel(key);
        assertEquals("FIELD_WRONG_TYPE", chat.post("who", Map.of("sesskey", key, "channel", channel, "after", 5))
                .error());
        assertEquals("FIELD_MISSING", chat.post("who", Map.of("channel", channel)).error());
        assertEquals("INVALID_SESSION", chat.post("who", Map.of("sesskey", 12345, "channel", channel)).error());
        assertEquals(200, chat.post("who", Map.of("sesskey", 12345, "channel", channel)).httpStatus());
        TestSocket socket = connect(key);
        JsonObject overSocket = socket.call("who", body("channel", "no-such-channel"));
        assertEquals("CHANNEL_NOT_FOUND", overSocket.get("error").getAsString(), overSocket.toString());
    }

    /** A server without presence answers who UNKNOWN_CALL, as clients rely on, and sends no join or leave. */
    @Test
    void withPresenceOffWhoIsAnUnknownCallAndNoEventIsSent() throws Exception {
        start(TestServer.config().with(Settings.PRESENCE, false));
        long key = chat.newSession();
        String channel = chat.newChannel(key);
        TestServer.Reply reply = chat.post("who", Map.of("sesskey", key, "channel", channel));
        assertEquals(404, reply.httpStatus());
        assertEquals("UNKNOWN_CALL", reply.error());
        TestSocket socket = connect(key);
        socket.subscribe(channel, 0);
        JsonElement error = socket.call("who", body("channel", channel)).get("error");
        assertEquals("UNKNOWN_CALL", error.getAsString());
        TestSocket other = connect(chat.newSession());
        other.subscribe(channel, 0);
        expectNothingBeforeAPost(socket, key, channel, 1);
    }
}
