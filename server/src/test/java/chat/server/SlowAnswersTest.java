package chat.server;

import chat.config.Config;
import chat.config.Settings;
import chat.testing.Await;
import chat.testing.TestServer;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 13's probe of clients that ask for a full window of big messages and never read the answer, scaled down:
 * answers of 6 MB against a bound of 20 MiB (--max-unsent), raw sockets with a 4 KiB receive buffer. (Smaller
 * answers would not wait: on loopback the kernel takes up to 4 MiB of an answer into the socket's send buffer.)
 */
@Timeout(60)
class SlowAnswersTest {
    private static final MediaType JSON = MediaType.get("application/json");
    /** 200,000 control characters: 1.2 MB as the JSON escapes them, so five make an answer of 6 MB. */
    private static final String BIG = "\u0001".repeat(200_000);
    private static final int MESSAGES = 5;

    private final List<Socket> stuck = new ArrayList<>();
    private TestServer chat;
    private long key;

    @AfterEach
    void stop() throws IOException {
        for (Socket socket : stuck) {
            socket.close();
        }
        if (chat != null) {
            chat.close();
        }
    }

    private static Config.Builder config() {
        return TestServer.config().with(Settings.MAX_UNSENT, 20L << 20).with(Settings.MAX_MESSAGE, 200_000)
                .with(Settings.MAX_BODY, 2 << 20);
    }

    /** Channels of {@link #MESSAGES} big messages each. */
    private List<String> bigWindows(int channels) {
        key = chat.newSession();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < channels; i++) {
            String channel = chat.newChannel(key);
            for (int m = 0; m < MESSAGES; m++) {
                chat.postMessage(key, channel, BIG);
            }
            names.add(channel);
        }
        return names;
    }

    private String retrieveBody(String channel) {
        return "{\"sesskey\":" + key + ",\"channel\":\"" + channel + "\",\"first\":1,\"last\":" + MESSAGES + "}";
    }

    private record Answer(int status, String retryAfter, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** A retrieve by a client that reads. */
    private Answer retrieve(String channel) throws IOException {
        Request request = new Request.Builder().url(chat.url("/retrieve"))
                .post(RequestBody.create(retrieveBody(channel), JSON)).build();
        try (Response response = chat.http().newCall(request).execute()) {
            return new Answer(response.code(), response.header("Retry-After"), response.body().bytes());
        }
    }

    /** Sends a retrieve on a socket with a tiny receive buffer, and reads nothing of the answer. */
    private Socket retrieveAndNeverRead(String channel) throws IOException {
        Socket socket = new Socket();
        stuck.add(socket);
        socket.setReceiveBufferSize(4096);
        socket.connect(new InetSocketAddress("127.0.0.1", chat.server.port()), 5000);
        byte[] body = retrieveBody(channel).getBytes(StandardCharsets.UTF_8);
        socket.getOutputStream().write(("POST /retrieve HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().write(body);
        socket.getOutputStream().flush();
        return socket;
    }

    private void awaitUnsent(String what, long bytes) throws InterruptedException {
        Await.value(what + " (" + bytes + " bytes unsent)", Duration.ofSeconds(10),
                () -> chat.server.unsentBytes(), unsent -> unsent == bytes);
    }

    @Test
    void answersWaitingForClientsThatDoNotReadStayWithinTheBoundAndEveryoneElseIsServed() throws Exception {
        chat = TestServer.start(config().build());
        List<String> channels = bigWindows(4);
        long[] lengths = new long[channels.size()];
        for (int i = 0; i < channels.size(); i++) {
            Answer answer = retrieve(channels.get(i));
            assertEquals(200, answer.status(), answer.text());
            lengths[i] = answer.body().length;
        }
        awaitUnsent("nothing waits while clients read", 0);

        long held = 0;
        for (int i = 0; i < 3; i++) { // 3 answers of 6 MB fit in 20 MiB; a fourth would not
            retrieveAndNeverRead(channels.get(i));
            held += lengths[i];
            awaitUnsent("the answer to stuck client " + (i + 1) + " to wait for it", held);
        }
        assertTrue(held <= 20L << 20, "the bound holds: " + held);

        Answer refused = retrieve(channels.get(3));
        assertEquals(503, refused.status(), refused.text());
        assertTrue(refused.text().contains("\"error\":\"SERVER_BUSY\"") && refused.text().contains("\"status\":false"),
                "the envelope: " + refused.text());
        assertEquals("1", refused.retryAfter());

        // The window already waiting for a stuck client is the same bytes (cached, shared): it takes no more room.
        Answer shared = retrieve(channels.get(0));
        assertEquals(200, shared.status(), shared.text());
        assertEquals(lengths[0], shared.body().length);
        assertEquals(held, chat.server.unsentBytes());

        chat.post("list", Map.of("sesskey", key)).success(); // and small calls go on as ever
        chat.post("lastmessage", Map.of("sesskey", key, "channel", channels.get(3))).success();

        for (Socket socket : stuck) {
            socket.close(); // a reset, with the answer unread: the server lets its bytes go
        }
        awaitUnsent("the stuck clients' answers to be let go once they have gone", 0);
        assertEquals(200, retrieve(channels.get(3)).status(), "room again");
    }

    @Test
    void aConnectionWhoseAnswerDoesNotDrainWithinTheWriteTimeoutIsClosed() throws Exception {
        chat = TestServer.start(config().with(Settings.WRITE_TIMEOUT, Duration.ofMillis(300)).build());
        String channel = bigWindows(1).get(0);
        int length = retrieve(channel).body().length;
        Socket socket = retrieveAndNeverRead(channel);
        awaitUnsent("the answer to wait for the stuck client", length);
        awaitUnsent("the stuck connection to be closed and its answer let go", 0);
        // The client finds the connection ended (a reset, or the end of the stream) before the answer's end.
        long read = readToEnd(socket);
        assertTrue(read < length, "the answer was cut off: " + read + " of " + length + " bytes, plus headers");
        chat.post("list", Map.of("sesskey", key)).success();
    }

    @Test
    void smallAnswersThatStallAreDroppedWithinTheWriteTimeoutToo() throws Exception {
        chat = TestServer.start(config().with(Settings.WRITE_TIMEOUT, Duration.ofMillis(300)).build());
        Socket socket = new Socket();
        stuck.add(socket);
        socket.setReceiveBufferSize(4096);
        socket.connect(new InetSocketAddress("127.0.0.1", chat.server.port()), 5000);
        // A million pipelined /health (36 MB) and none of the answers read: they stall once the kernel's buffers
        // are full, and Undertow stops reading while it answers, so without the write timeout nothing would ever
        // end this connection (the writer would block for good).
        Thread writer = new Thread(() -> {
            byte[] requests = "GET /health HTTP/1.1\r\nHost: x\r\n\r\n".repeat(1000).getBytes(StandardCharsets.US_ASCII);
            try {
                for (int i = 0; i < 1000; i++) {
                    socket.getOutputStream().write(requests);
                }
            } catch (IOException cutOff) {
                // the server dropped the connection: what the test waits for
            }
        });
        writer.setDaemon(true);
        writer.start();
        Await.until("the server to drop the connection whose answers stalled", Duration.ofSeconds(20),
                () -> !writer.isAlive());
        long read = readToEnd(socket);
        assertTrue(read < 1_000_000L * 100, "the pipeline was cut off: " + read + " bytes read");
        chat.post("list", Map.of("sesskey", chat.newSession())).success();
    }

    /** Reads what is left until the connection ends (the end of the stream, or a reset); returns how many bytes. */
    private static long readToEnd(Socket socket) throws IOException {
        socket.setSoTimeout(10_000);
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[64 * 1024];
        long read = 0;
        try {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                read += n;
            }
        } catch (SocketException reset) {
            // the server dropped it with a reset: also an end
        }
        return read;
    }
}
