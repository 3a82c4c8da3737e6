package chat.server;

import chat.config.Settings;
import chat.testing.LocalRedis;
import chat.testing.TestServer;
import chat.testing.TestSocket;
import com.google.gson.JsonObject;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static chat.testing.TestSocket.body;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A socket that subscribes to one channel again and again, without waiting for the answers, while messages are
 * posted: on Redis its calls run on a pool, where they used to overlap. Each answer must come in the order asked,
 * and every event between one answer and the next must be that subscription's: the ids after its "after", each
 * once, in order. So a client that takes each answer as the start of its subscription sees every message once.
 */
@Timeout(120)
class ResubscribeTest {
    private static final int POSTS = 400;
    private static final int RESUBSCRIBES = 60;

    @Test
    void pipelinedResubscribesOnRedisAnswerInOrderAndEachDeliversItsOwnRunOnce() throws Exception {
        try (LocalRedis redis = LocalRedis.start();
             TestServer chat = TestServer.start(TestServer.config().with(Settings.STORE, redis.url())
                     .with(Settings.WINDOW, 1000).with(Settings.CLIENT_LIMIT_EXEMPT, "127.0.0.0/8")
                    // Order is what is tested, not a slow reader: on a loaded machine this reader can fall a
                    // thousand frames behind, which the default queue would close as too slow (1013).
                    .with(Settings.WS_QUEUE_EVENTS, 100_000).with(Settings.WS_QUEUE_BYTES, 64L << 20).build())) {
            long key = chat.newSession();
            String channel = chat.newChannel(key);
            OkHttpClient http = new OkHttpClient();
            try (TestSocket socket = new TestSocket(http, chat.server.url().replace("http", "ws") + "/ws",
                    Long.toString(key))) {
                assertTrue(socket.awaitOpen());
                socket.subscribe(channel, 0);
                AtomicLong posted = new AtomicLong();
                AtomicBoolean failed = new AtomicBoolean();
                Thread poster = new Thread(() -> {
                    for (int i = 1; i <= POSTS && !failed.get(); i++) {
                        chat.postMessage(key, channel, "m" + i);
                        posted.set(i);
                    }
                });
                poster.start();
                // Each resubscribe restarts at a different point: a little behind what has been posted so far.
                List<Long> afters = new ArrayList<>();
                int firstId = -1;
                for (int i = 0; i < RESUBSCRIBES; i++) {
                    long after = Math.max(0, posted.get() - (i % 7) * 3);
                    afters.add(after);
                    int id = socket.send("subscribe", body("channel", channel, "after", after));
                    firstId = firstId < 0 ? id : firstId;
                }
                int answered = -1; // which subscribe the events now belong to (-1: the first subscription's)
                long expected = 1;
                while (answered < RESUBSCRIBES - 1 || expected <= POSTS) {
                    JsonObject frame;
                    try {
                        frame = socket.next();
                    } catch (AssertionError e) {
                        failed.set(true);
                        throw e;
                    }
                    if (frame.has("id")) {
                        assertEquals(firstId + answered + 1, frame.get("id").getAsInt(),
                                "answers come in the order the subscribes were sent: " + frame);
                        assertTrue(frame.get("status").getAsBoolean(), frame.toString());
                        answered++;
                        expected = afters.get(answered) + 1;
                    } else {
                        assertEquals("message", frame.get("event").getAsString(), frame.toString());
                        long got = frame.getAsJsonObject("data").get("messageid").getAsLong();
                        assertEquals(expected, got, "after the answer to subscribe " + answered
                                + " (after " + (answered < 0 ? 0 : afters.get(answered)) + ")");
                        expected++;
                    }
                }
                poster.join();
            }
        }
    }
}
