package chat.server;

import chat.config.Config;
import chat.config.Settings;
import chat.testing.Await;
import chat.testing.TestServer;
import chat.testing.TestSocket;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static chat.testing.TestSocket.body;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 13's WebSocket probes, scaled down: an answer larger than the socket's push queue is still answered, and
 * sockets closed as too slow that never read the close are dropped after --ws-close-timeout, not the silence timeout.
 */
@Timeout(60)
class SlowSocketsTest {
    private static final long QUEUE_BYTES = 64 * 1024;
    /** Ten messages of 4,096 emoji (16 KB each in UTF-8): an answer of 164 KB, past a 64 KiB queue. */
    private static final String EMOJI = "\uD83D\uDE00".repeat(4096);
    private static final int MESSAGES = 10;

    private final OkHttpClient http = new OkHttpClient();
    private final List<AutoCloseable> opened = new ArrayList<>();
    private TestServer chat;

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable closeable : opened) {
            closeable.close();
        }
        if (chat != null) {
            chat.close();
        }
    }

    private TestSocket connect(long sesskey) throws Exception {
        TestSocket socket = new TestSocket(http, chat.server.url().replace("http", "ws") + "/ws", Long.toString(sesskey));
        opened.add(socket);
        assertTrue(socket.awaitOpen(), "the handshake should succeed");
        return socket;
    }

    /** A channel holding a window larger than the queue's byte limit. */
    private String bigWindow(long key) {
        String channel = chat.newChannel(key);
        for (int i = 0; i < MESSAGES; i++) {
            chat.postMessage(key, channel, EMOJI);
        }
        return channel;
    }

    private static JsonObject retrieveAll(String channel) {
        return body("channel", channel, "first", 1, "last", MESSAGES);
    }

    @Test
    void aRetrieveLargerThanTheSocketsQueueIsAnswered() throws Exception {
        chat = TestServer.start(TestServer.config().with(Settings.WS_QUEUE_BYTES, QUEUE_BYTES).build());
        long key = chat.newSession();
        String channel = bigWindow(key);
        TestSocket socket = connect(key);
        JsonArray messages = socket.succeed("retrieve", retrieveAll(channel)).getAsJsonArray();
        assertEquals(MESSAGES, messages.size());
        for (int i = 0; i < MESSAGES; i++) {
            assertEquals(EMOJI, messages.get(i).getAsJsonObject().get("message").getAsString());
        }
        Await.until("the answer's bytes to be let go once written", Duration.ofSeconds(10),
                () -> chat.server.unsentBytes() == 0);
        socket.succeed("list", body()); // the socket is open and answers as before
    }

    @Test
    void anAnswerLargerThanTheQueueWithNoRoomUnderMaxUnsentIsRefusedAsBusy() throws Exception {
        chat = TestServer.start(TestServer.config().with(Settings.WS_QUEUE_BYTES, QUEUE_BYTES)
                .with(Settings.MAX_UNSENT, QUEUE_BYTES).build()); // 164 KB cannot wait within 64 KiB
        long key = chat.newSession();
        String channel = bigWindow(key);
        TestSocket socket = connect(key);
        JsonObject answer = socket.call("retrieve", retrieveAll(channel));
        assertEquals(new JsonPrimitive(false), answer.get("status"), answer.toString());
        assertEquals(new JsonPrimitive("SERVER_BUSY"), answer.get("error"), answer.toString());
        socket.succeed("retrieve", body("channel", channel, "first", 1, "last", 1)); // a smaller one is answered
    }

    @Test
    void socketsClosedAsTooSlowThatNeverReadTheCloseAreDroppedAfterTheCloseTimeout() throws Exception {
        Config config = TestServer.config().with(Settings.WS_QUEUE_EVENTS, 20).with(Settings.WS_QUEUE_BYTES, QUEUE_BYTES)
                .with(Settings.WS_CLOSE_TIMEOUT, Duration.ofMillis(500)).with(Settings.WS_SILENCE, Duration.ofSeconds(60))
                .with(Settings.MAX_MESSAGE, 60_000).with(Settings.MAX_BODY, 128 * 1024).build();
        chat = TestServer.start(config);
        long key = chat.newSession();
        String channel = chat.newChannel(key);
        List<SlowReader> readers = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            SlowReader reader = new SlowReader(chat.server.url(), key, channel);
            opened.add(reader);
            reader.subscribeAndStopReading();
            readers.add(reader);
        }
        assertEquals(10, chat.server.openSockets());
        // 18 MB fanned out: more than each socket's kernel buffers (4 MiB on loopback) and its queue of 20 frames.
        String big = "x".repeat(60_000);
        for (int i = 0; i < 300; i++) {
            chat.postMessage(key, channel, big);
        }
        // Each was closed with 1013 once its queue was full; none reads the close frame. Dropped 0.5 s after, long
        // before the 60 s of silence.
        Await.until("every too slow socket to be dropped", Duration.ofSeconds(10), () -> chat.server.openSockets() == 0);
        // The client's connection is gone too: reading it ends (a reset) before any close frame comes.
        assertThrows(IOException.class, readers.get(0)::awaitClose);
        chat.postMessage(key, channel, "everyone else is served");
    }

    @Test
    void aClientThatSendsPingsAndReadsNoPongsIsCutOff() throws Exception {
        chat = TestServer.start(TestServer.config().with(Settings.WS_SILENCE, Duration.ofSeconds(60)).build());
        long key = chat.newSession();
        SlowReader flooder = new SlowReader(chat.server.url(), key, chat.newChannel(key));
        opened.add(flooder);
        flooder.subscribeAndStopReading();
        // 100,000 pongs are 12.7 MB: far more than the kernel's buffers hold, so without a bound they would queue
        // in the server's heap for as long as the client keeps pinging.
        flooder.floodPings(100_000);
        Await.until("the socket that reads no pongs to be dropped", Duration.ofSeconds(10),
                () -> chat.server.openSockets() == 0);
        chat.postMessage(key, chat.newChannel(key), "everyone else is served");
    }
}
