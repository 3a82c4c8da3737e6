package chat.server;

import chat.config.Settings;
import chat.testing.LocalRedis;
import chat.testing.TestServer;
import chat.testing.TestSocket;
import com.google.gson.JsonObject;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.ClientType;
import redis.clients.jedis.params.ClientKillParams;

import java.net.URI;
import java.util.Map;

import static chat.testing.TestSocket.body;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A position that cannot be resumed is said out loud (spec ws/15-16), through real servers over real WebSockets:
 * a client of a server that was restarted, and a subscriber whose Redis lost the newest messages.
 */
@Timeout(60)
class HistoryResetTest {
    private final OkHttpClient http = new OkHttpClient();

    private TestSocket connect(TestServer chat, long key) throws Exception {
        TestSocket socket = new TestSocket(http, chat.server.url().replace("http", "ws") + "/ws", Long.toString(key));
        assertTrue(socket.awaitOpen());
        return socket;
    }

    private static void expectReset(JsonObject frame, String channel, String epoch, long last) {
        assertTrue(TestSocket.isEvent(frame, "reset"), "expected a reset event, got " + frame);
        assertEquals(channel, frame.get("channel").getAsString(), frame.toString());
        assertEquals(epoch, frame.get("epoch").getAsString(), frame.toString());
        assertEquals(last, frame.get("last").getAsLong(), frame.toString());
    }

    @Test
    void aClientOfAnEarlierInMemoryServerIsResetThoughItsIdIsBehindTheNewOne() throws Exception {
        String channel = TestServer.unique("restarted");
        String oldEpoch;
        try (TestServer before = TestServer.start()) {
            long key = before.newSession();
            before.post("create", Map.of("sesskey", key, "channel", channel));
            before.postMessage(key, channel, "old 1");
            before.postMessage(key, channel, "old 2");
            before.postMessage(key, channel, "old 3");
            try (TestSocket socket = connect(before, key)) {
                oldEpoch = socket.subscribe(channel, 3).get("epoch").getAsString();
            }
        }
        try (TestServer after = TestServer.start()) { // a new process: the channel made again, one new message
            long key = after.newSession();
            after.post("create", Map.of("sesskey", key, "channel", channel));
            after.postMessage(key, channel, "new 1");
            after.postMessage(key, channel, "new 2");
            after.postMessage(key, channel, "new 3");
            after.postMessage(key, channel, "new 4");
            try (TestSocket socket = connect(after, key)) {
                JsonObject answer = socket.call("subscribe", body("channel", channel, "after", 3, "epoch", oldEpoch));
                String epoch = answer.getAsJsonObject("data").get("epoch").getAsString();
                assertNotEquals(oldEpoch, epoch, "a new process gives the channel's history a new epoch");
                expectReset(socket.next(), channel, epoch, 4);
                for (int id = 1; id <= 4; id++) {
                    assertEquals("new " + id, socket.nextMessage(channel, id));
                }
            }
        }
    }

    @Test
    void aRedisThatLostItsNewestMessagesIsNoticedWhenPubSubIsBackAndTheSubscriberStartsOver() throws Exception {
        try (LocalRedis redis = LocalRedis.start();
             TestServer chat = TestServer.start(TestServer.config().with(Settings.STORE, redis.url()).build())) {
            long key = chat.newSession();
            String channel = chat.newChannel(key);
            try (TestSocket socket = connect(chat, key)) {
                String epoch = socket.subscribe(channel, 0).get("epoch").getAsString();
                for (int id = 1; id <= 5; id++) {
                    chat.postMessage(key, channel, "m" + id);
                    assertEquals("m" + id, socket.nextMessage(channel, id));
                }
                URI address = URI.create(redis.url());
                try (Jedis jedis = new Jedis(address.getHost(), address.getPort())) {
                    // What a Redis restarted without its last second of writes holds: ids 4 and 5 never happened.
                    jedis.set("chat:channel:{" + channel + "}:last", "3");
                    jedis.rpop("chat:channel:{" + channel + "}:messages", 2);
                    // The restart also cut the replica's pub/sub connection; on reconnecting it looks.
                    jedis.clientKill(ClientKillParams.clientKillParams().type(ClientType.PUBSUB));
                }
                JsonObject reset = socket.next();
                assertTrue(TestSocket.isEvent(reset, "reset"), "expected a reset event, got " + reset);
                String fresh = reset.get("epoch").getAsString();
                assertNotEquals(epoch, fresh, "the lost history's epoch is replaced");
                expectReset(reset, channel, fresh, 3);
                for (int id = 1; id <= 3; id++) {
                    assertEquals("m" + id, socket.nextMessage(channel, id));
                }
                chat.postMessage(key, channel, "the new 4");
                assertEquals("the new 4", socket.nextMessage(channel, 4), "the new history goes on");
            }
            try (TestSocket late = connect(chat, key)) { // a client of the lost history, resuming after its 5
                JsonObject answer = late.call("subscribe", body("channel", channel, "after", 5));
                expectReset(late.next(), channel, answer.getAsJsonObject("data").get("epoch").getAsString(), 4);
            }
        }
    }
}
